package com.bacefook.store.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigChangeTest {
  private static Configuration config(long number, ServerRanges... servers) {
    return new Configuration(number, List.of(servers));
  }

  private static ServerRanges server(String name, ShardRange... ranges) {
    return new ServerRanges(name, List.of(ranges));
  }

  @Test
  void theFirstJoinMovesEveryIdFromNobody() {
    ConfigChange change =
        ConfigChange.between(Configuration.EMPTY, config(1, server("a", ShardRange.ALL)), 5L);

    assertThat(change.configNum()).isEqualTo(1);
    assertThat(change.seenAt()).isEqualTo(5L);
    assertThat(change.joined()).containsExactly("a");
    assertThat(change.left()).isEmpty();
    assertThat(change.moves()).containsExactly(new ConfigChange.Move(0, 1000, null, "a"));
  }

  @Test
  void aJoinListsEachRunThatChangedOwner() {
    Configuration before =
        config(2, server("a", new ShardRange(0, 500)), server("b", new ShardRange(501, 1000)));
    Configuration after =
        config(
            3,
            server("a", new ShardRange(0, 333)),
            server("b", new ShardRange(501, 666)),
            server("c", new ShardRange(334, 500), new ShardRange(667, 1000)));

    ConfigChange change = ConfigChange.between(before, after, null);

    assertThat(change.joined()).containsExactly("c");
    assertThat(change.moves())
        .containsExactly(
            new ConfigChange.Move(334, 500, "a", "c"), new ConfigChange.Move(667, 1000, "b", "c"));
  }

  @Test
  void aMoveOfOneRangeIsOneEntryAndALeaveNamesTheServer() {
    Configuration before =
        config(4, server("a", new ShardRange(0, 500)), server("b", new ShardRange(501, 1000)));
    Configuration moved =
        config(
            5,
            server("a", new ShardRange(0, 499), new ShardRange(600, 600)),
            server("b", new ShardRange(500, 599), new ShardRange(601, 1000)));
    Configuration left = config(6, server("b", ShardRange.ALL));

    assertThat(ConfigChange.between(before, moved, null).moves())
        .containsExactly(
            new ConfigChange.Move(500, 500, "a", "b"), new ConfigChange.Move(600, 600, "b", "a"));
    ConfigChange leave = ConfigChange.between(moved, left, null);
    assertThat(leave.left()).containsExactly("a");
    assertThat(leave.joined()).isEmpty();
    assertThat(leave.moves())
        .containsExactly(
            new ConfigChange.Move(0, 499, "a", "b"), new ConfigChange.Move(600, 600, "a", "b"));
  }

  @Test
  void theSameOwnersMakeNoMoves() {
    Configuration config = config(7, server("a", ShardRange.ALL));

    assertThat(ConfigChange.between(config, config, null).moves()).isEmpty();
  }
}
