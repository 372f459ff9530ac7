package com.bacefook.store.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupStateMachineTest {
  /** Records each command applied and answers it upper-cased. */
  private static final class Recorder implements ReplicatedState {
    final List<String> applied = new ArrayList<>();

    @Override
    public byte[] apply(byte[] command) {
      String text = new String(command, UTF_8);
      applied.add(text);
      return text.toUpperCase().getBytes(UTF_8);
    }

    @Override
    public void writeSnapshot(OutputStream out) {}

    @Override
    public void readSnapshot(InputStream in) {}
  }

  @Test
  void appliesAPlainEntryAsOneCommandAndABatchCommandByCommandInOrder() {
    Recorder state = new Recorder();
    GroupStateMachine machine = new GroupStateMachine(state, leader -> {});

    byte[] single = machine.apply("put a".getBytes(UTF_8));
    byte[] batch =
        machine.apply(
            CommandBatch.encode(List.of("put b".getBytes(UTF_8), "append c".getBytes(UTF_8))));

    assertThat(new String(single, UTF_8)).isEqualTo("PUT A");
    assertThat(CommandBatch.decode(batch))
        .extracting(bytes -> new String(bytes, UTF_8))
        .containsExactly("PUT B", "APPEND C");
    assertThat(state.applied).containsExactly("put a", "put b", "append c");
  }
}
