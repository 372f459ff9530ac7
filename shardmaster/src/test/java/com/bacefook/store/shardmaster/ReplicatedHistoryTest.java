package com.bacefook.store.shardmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ShardRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicatedHistoryTest {
  private final ReplicatedHistory state = new ReplicatedHistory();

  private void apply(ShardmasterCommand command) {
    ReplicatedHistory.checkApplied(state.apply(command.encode()));
  }

  @Test
  void everyCommandSurvivesEncoding() {
    for (ShardmasterCommand command :
        List.of(
            new ShardmasterCommand.Join("a:1", "", Optional.empty()),
            new ShardmasterCommand.Join("b:1", "a:1", Optional.empty()),
            new ShardmasterCommand.Join(
                "g:2", "g:1", Optional.of(new ReplicaSet("g", List.of("g:1", "g:2", "g:3")))),
            new ShardmasterCommand.Leave(List.of("a:1", "b:1")),
            new ShardmasterCommand.Move("a:1", new ShardRange(3, 70)),
            new ShardmasterCommand.Announce("s1", "127.0.0.1:9090"))) {
      assertThat(ShardmasterCommand.decode(command.encode())).isEqualTo(command);
    }
    assertThatThrownBy(() -> ShardmasterCommand.decode(new byte[] {9}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown shardmaster log entry");
  }

  @Test
  void changesApplyToTheHistoryAndRejectionsComeBackWithTheRulesReason() {
    apply(new ShardmasterCommand.Join("a:1", "", Optional.empty()));
    apply(new ShardmasterCommand.Join("b:1", "", Optional.empty()));
    apply(new ShardmasterCommand.Move("b:1", new ShardRange(0, 9)));
    apply(new ShardmasterCommand.Join("c:1", "a:1", Optional.empty()));

    assertThat(state.history().latest().number()).isEqualTo(4);
    assertThat(state.history().latest().serverNames()).containsExactly("c:1", "b:1");
    assertThatThrownBy(() -> apply(new ShardmasterCommand.Join("b:1", "", Optional.empty())))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessage("server b:1 has already joined");
    assertThat(state.history().latest().number()).isEqualTo(4);
  }

  @Test
  void aSnapshotRestoresEveryConfigurationAndAnnouncedAddress() throws IOException {
    apply(new ShardmasterCommand.Announce("s1", "127.0.0.1:9090"));
    apply(new ShardmasterCommand.Join("a:1", "", Optional.empty()));
    apply(new ShardmasterCommand.Join("b:1", "", Optional.empty()));
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    state.writeSnapshot(snapshot);

    ReplicatedHistory restored = new ReplicatedHistory();
    restored.readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));

    assertThat(restored.history().all()).isEqualTo(state.history().all());
    assertThat(restored.addressOf("s1")).contains("127.0.0.1:9090");
    assertThat(restored.addressOf("s2")).isEmpty();
  }
}
