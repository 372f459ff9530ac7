package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.ShardRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkedInstallTest {
  private static final IdSet IDS = IdSet.of(List.of(ShardRange.ALL));
  private static final String FROM = "127.0.0.1:7001";

  /** {@code count} keys with values of about {@code chars} characters, some with an author. */
  private static Map<String, StoredValue> keys(int count, int chars) {
    Map<String, StoredValue> keys = new HashMap<>();
    for (int i = 0; i < count; i++) {
      keys.put(
          "user_" + i, new StoredValue("é".repeat(chars / 2) + i, i % 3 == 0 ? "user_" + (i + 1) : null));
    }
    return keys;
  }

  /** Every command of {@code install}, as the leader proposes them (at the latest time there is). */
  private static List<GroupCommand> commands(ChunkedInstall install) {
    List<GroupCommand> commands = new ArrayList<>();
    for (int i = 0; i < install.chunks().size(); i++) {
      commands.add(install.chunk(i, Long.MAX_VALUE));
    }
    commands.add(install.install());
    return commands;
  }

  @Test
  void aHandoffThatFitsIsOneInstall() {
    Map<String, StoredValue> keys = keys(10, 100);

    ChunkedInstall install = ChunkedInstall.of(7, FROM, IDS, keys, 64 * 1024);

    assertThat(install.chunks()).isEmpty();
    assertThat(install.install())
        .isEqualTo(
            new GroupCommand.HandoffInstalled(
                7, FROM, IDS, keys, 10, HandoffDigest.of(keys.entrySet())));
  }

  @Test
  void aLargeHandoffIsCutIntoCommandsEachWithinTheLimitHoldingEveryKeyOnce() {
    Map<String, StoredValue> keys = keys(300, 2_000);
    int limit = 64 * 1024;

    ChunkedInstall install = ChunkedInstall.of(7, FROM, IDS, keys, limit);

    List<GroupCommand> commands = commands(install);
    assertThat(commands.size()).as("about 600 KB in 64 KiB").isEqualTo(10);
    Map<String, StoredValue> all = new HashMap<>();
    for (GroupCommand command : commands) {
      byte[] bytes = command.encode("", 0, 0);
      assertThat(bytes.length).as("every command fits").isLessThanOrEqualTo(limit);
      Map<String, StoredValue> part;
      if (command instanceof GroupCommand.HandoffChunk chunk) {
        assertThat(bytes.length).as("a chunk is filled").isGreaterThan(limit - 2 * 2_100);
        part = chunk.keys();
      } else {
        part = ((GroupCommand.HandoffInstalled) command).keys();
      }
      part.keySet().forEach(key -> assertThat(all).as("staged once").doesNotContainKey(key));
      all.putAll(part);
    }
    assertThat(all).isEqualTo(keys);
    assertThat(install.install().completes(all)).isTrue();
    assertThat(install.install().keyCount()).isEqualTo(300);
  }

  @Test
  void theLastInstallCompletesOnlyEveryKeyHandedOver() {
    Map<String, StoredValue> keys = keys(50, 2_000);
    GroupCommand.HandoffInstalled install = ChunkedInstall.of(7, FROM, IDS, keys, 8 * 1024).install();

    Map<String, StoredValue> missingOne = new HashMap<>(keys);
    missingOne.remove("user_3");
    Map<String, StoredValue> changedOne = new HashMap<>(keys);
    changedOne.put("user_3", new StoredValue("other", null));

    assertThat(install.completes(keys)).isTrue();
    assertThat(install.completes(missingOne)).isFalse();
    assertThat(install.completes(changedOne)).isFalse();
    assertThat(
            new GroupCommand.HandoffInstalled(
                    7, FROM, IdSet.of(List.of(new ShardRange(0, 0))), Map.of(), 50,
                    HandoffDigest.of(keys.entrySet()))
                .completes(keys))
        .as("keys outside the IDs handed over")
        .isFalse();
  }

  @Test
  void refusesAKeyTooLargeForAnyLogEntry() {
    assertThatThrownBy(() -> ChunkedInstall.of(7, FROM, IDS, keys(3, 10_000), 4 * 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user_0")
        .hasMessageContaining("a log entry has room for");
  }
}
