package com.bacefook.store.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandBatchTest {
  @Test
  void framesAndReadsBackCommandsInOrder() {
    List<byte[]> commands = List.of("put a".getBytes(UTF_8), new byte[0], "append b".getBytes(UTF_8));

    byte[] batch = CommandBatch.encode(commands);

    assertThat(CommandBatch.isBatch(batch)).isTrue();
    assertThat(CommandBatch.decode(batch))
        .extracting(bytes -> new String(bytes, UTF_8))
        .containsExactly("put a", "", "append b");
  }

  @Test
  void theFramingAddsWhatFramingBytesSays() {
    List<byte[]> commands = List.of(new byte[100], new byte[0], new byte[7]);

    assertThat(CommandBatch.encode(commands)).hasSize(107 + (int) CommandBatch.framingBytes(3));
  }

  @Test
  void singleCommandsOfTheStoresAreNotBatches() {
    // shardkv's commands start with the int -1 (or, in the first encoding, a length); the
    // shardmaster's with a tag from 1 to 5; a read barrier is empty.
    assertThat(CommandBatch.isBatch(new byte[] {-1, -1, -1, -1, 0})).isFalse();
    assertThat(CommandBatch.isBatch(new byte[] {0, 0, 0, 5, 'a'})).isFalse();
    for (byte tag = 1; tag <= 5; tag++) {
      assertThat(CommandBatch.isBatch(new byte[] {tag, 0})).isFalse();
    }
    assertThat(CommandBatch.isBatch(new byte[0])).isFalse();
  }

  @Test
  void refusesCutOrPaddedBatches() {
    byte[] batch = CommandBatch.encode(List.of("one".getBytes(UTF_8), "two".getBytes(UTF_8)));

    assertThatThrownBy(() -> CommandBatch.decode(Arrays.copyOf(batch, batch.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cut short");
    assertThatThrownBy(() -> CommandBatch.decode(Arrays.copyOf(batch, batch.length + 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("follow the last command");
    assertThatThrownBy(() -> CommandBatch.decode("not a batch".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommandBatch.encode(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
