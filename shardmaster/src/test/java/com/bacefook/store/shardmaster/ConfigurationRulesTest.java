package com.bacefook.store.shardmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfigurationRulesTest {
  private static ShardRange r(int lower, int upper) {
    return new ShardRange(lower, upper);
  }

  private static Configuration joined(String... servers) {
    Configuration config = Configuration.EMPTY;
    for (String server : servers) {
      config = ConfigurationRules.join(config, server);
    }
    return config;
  }

  @Test
  void joinSplitsTheKeySpaceEvenlyInJoinOrder() {
    assertThat(joined("s1").rangesOf("s1")).containsExactly(r(0, 1000));
    Configuration two = joined("s1", "s2");
    assertThat(two.rangesOf("s1")).containsExactly(r(0, 500));
    assertThat(two.rangesOf("s2")).containsExactly(r(501, 1000));
    Configuration three = joined("s1", "s2", "s3");
    assertThat(three.servers())
        .containsExactly(
            new ServerRanges("s1", List.of(r(0, 333))),
            new ServerRanges("s2", List.of(r(334, 667))),
            new ServerRanges("s3", List.of(r(668, 1000))));
    Configuration four = joined("s1", "s2", "s3", "s4");
    assertThat(four.servers())
        .containsExactly(
            new ServerRanges("s1", List.of(r(0, 250))),
            new ServerRanges("s2", List.of(r(251, 500))),
            new ServerRanges("s3", List.of(r(501, 750))),
            new ServerRanges("s4", List.of(r(751, 1000))));
  }

  @Test
  void eachChangeAddsOneToTheNumber() {
    Configuration config = joined("s1", "s2");
    assertThat(config.number()).isEqualTo(2);
    assertThat(ConfigurationRules.move(config, "s1", r(600, 700)).number()).isEqualTo(3);
    assertThat(ConfigurationRules.leave(config, List.of("s1")).number()).isEqualTo(3);
  }

  @Test
  void joinTwiceIsRejected() {
    Configuration config = joined("s1");
    assertThatThrownBy(() -> ConfigurationRules.join(config, "s1"))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("already joined");
  }

  @Test
  void replaceRenamesAServerKeepingItsPlaceAndRanges() {
    Configuration config = ConfigurationRules.move(joined("s1", "s2", "s3"), "s1", r(900, 950));

    Configuration replaced = ConfigurationRules.replace(config, "s2", "s2b", Optional.empty());

    assertThat(replaced.number()).isEqualTo(config.number() + 1);
    assertThat(replaced.serverNames()).containsExactly("s1", "s2b", "s3");
    assertThat(replaced.rangesOf("s2b")).isEqualTo(config.rangesOf("s2"));
    assertThat(replaced.rangesOf("s1")).isEqualTo(config.rangesOf("s1"));
    assertThat(ConfigurationRules.join(replaced, "s4").serverNames())
        .containsExactly("s1", "s2b", "s3", "s4");
  }

  @Test
  void replaceNeedsAListedServerAndANewName() {
    Configuration config = joined("s1", "s2");

    assertThatThrownBy(() -> ConfigurationRules.replace(config, "s9", "s3", Optional.empty()))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("nothing was replaced");
    assertThatThrownBy(() -> ConfigurationRules.replace(config, "s1", "s2", Optional.empty()))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("already joined");
  }

  @Test
  void leaveRebalancesTheRestInJoinOrder() {
    Configuration config = ConfigurationRules.leave(joined("s1", "s2", "s3", "s4"), List.of("s2", "s4"));
    assertThat(config.servers())
        .containsExactly(
            new ServerRanges("s1", List.of(r(0, 500))), new ServerRanges("s3", List.of(r(501, 1000))));
  }

  @Test
  void leaveWithAnyUnknownServerRemovesNothing() {
    Configuration config = joined("s1", "s2");
    assertThatThrownBy(() -> ConfigurationRules.leave(config, List.of("s1", "nope")))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> ConfigurationRules.leave(config, List.of()))
        .isInstanceOf(RejectedChangeException.class);
    assertThat(config.serverNames()).containsExactly("s1", "s2");
  }

  @Test
  void leavingEveryoneLeavesAnEmptyConfiguration() {
    Configuration config = ConfigurationRules.leave(joined("s1", "s2"), List.of("s1", "s2"));
    assertThat(config.servers()).isEmpty();
    assertThat(config.ownerOf(0)).isEmpty();
  }

  @Test
  void rejoiningGoesToTheEndOfTheOrder() {
    Configuration config = ConfigurationRules.leave(joined("s1", "s2", "s3"), List.of("s1"));
    config = ConfigurationRules.join(config, "s1");
    assertThat(config.serverNames()).containsExactly("s2", "s3", "s1");
    assertThat(config.rangesOf("s2")).containsExactly(r(0, 333));
    assertThat(config.rangesOf("s1")).containsExactly(r(668, 1000));
  }

  @Test
  void moveCarvesTheRangeOutOfItsHoldersAsInTheIssue() {
    Configuration config = ConfigurationRules.move(joined("s1", "s2", "s3"), "s2", r(0, 332));
    assertThat(config.rangesOf("s1")).containsExactly(r(333, 333));
    assertThat(config.rangesOf("s2")).containsExactly(r(334, 667), r(0, 332));
    assertThat(config.rangesOf("s3")).containsExactly(r(668, 1000));

    config = ConfigurationRules.move(config, "s1", r(500, 700));
    assertThat(config.rangesOf("s1")).containsExactly(r(333, 333), r(500, 700));
    assertThat(config.rangesOf("s2")).containsExactly(r(334, 499), r(0, 332));
    assertThat(config.rangesOf("s3")).containsExactly(r(701, 1000));
  }

  @Test
  void moveSpanningSeveralServersRemovesFullyCoveredRanges() {
    Configuration config = ConfigurationRules.move(joined("s1", "s2", "s3", "s4"), "s4", r(200, 800));
    assertThat(config.rangesOf("s1")).containsExactly(r(0, 199));
    assertThat(config.rangesOf("s2")).isEmpty();
    assertThat(config.rangesOf("s3")).isEmpty();
    assertThat(config.rangesOf("s4")).containsExactly(r(801, 1000), r(200, 800));
    assertThat(config.serverNames()).containsExactly("s1", "s2", "s3", "s4");
  }

  @Test
  void moveWithinTheSameServerSplitsItsRange() {
    Configuration config = ConfigurationRules.move(joined("s1"), "s1", r(400, 500));
    assertThat(config.rangesOf("s1")).containsExactly(r(0, 399), r(501, 1000), r(400, 500));
  }

  @Test
  void moveToAnUnknownServerIsRejected() {
    Configuration config = joined("s1");
    assertThatThrownBy(() -> ConfigurationRules.move(config, "s9", r(0, 1)))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("s9");
  }

  @Test
  void joinAndLeaveDiscardMoves() {
    Configuration moved = ConfigurationRules.move(joined("s1", "s2"), "s1", r(900, 1000));
    Configuration config = ConfigurationRules.join(moved, "s3");
    assertThat(config.rangesOf("s1")).containsExactly(r(0, 333));
    config = ConfigurationRules.leave(ConfigurationRules.move(config, "s3", r(0, 10)), List.of("s2"));
    assertThat(config.rangesOf("s1")).containsExactly(r(0, 500));
    assertThat(config.rangesOf("s3")).containsExactly(r(501, 1000));
  }

  @Test
  void manyServersLeaveSomeWithNothing() {
    List<String> servers = new ArrayList<>();
    for (int i = 0; i < 1003; i++) {
      servers.add("s" + i);
    }
    List<ServerRanges> balanced = ConfigurationRules.balanced(servers);
    assertThat(balanced.get(0).ranges()).containsExactly(r(0, 0));
    assertThat(balanced.get(1000).ranges()).containsExactly(r(1000, 1000));
    assertThat(balanced.get(1001).ranges()).isEmpty();
  }

  @Test
  void randomChangesKeepAnExactPartitionAndAreDeterministic() {
    Random random = new Random(42);
    Configuration config = Configuration.EMPTY;
    Configuration replay = Configuration.EMPTY;
    List<String> pool = List.of("a:1", "b:2", "c:3", "d:4", "e:5");
    for (int step = 0; step < 2_000; step++) {
      String server = pool.get(random.nextInt(pool.size()));
      int lower = random.nextInt(KeyId.COUNT);
      int upper = lower + random.nextInt(KeyId.COUNT - lower);
      int kind = random.nextInt(3);
      Configuration next;
      Configuration nextReplay;
      try {
        next = apply(config, kind, server, r(lower, upper));
        nextReplay = apply(replay, kind, server, r(lower, upper));
      } catch (RejectedChangeException e) {
        continue;
      }
      assertThat(next.number()).isEqualTo(config.number() + 1);
      assertThat(nextReplay).isEqualTo(next);
      config = next;
      replay = nextReplay;
      if (!config.servers().isEmpty()) {
        for (int id = KeyId.MIN; id <= KeyId.MAX; id++) {
          assertThat(config.ownerOf(id)).as("owner of %s in %s", id, config).isPresent();
        }
      }
    }
  }

  private static Configuration apply(Configuration config, int kind, String server, ShardRange range) {
    return switch (kind) {
      case 0 -> ConfigurationRules.join(config, server);
      case 1 -> ConfigurationRules.leave(config, List.of(server));
      default -> ConfigurationRules.move(config, server, range);
    };
  }
}
