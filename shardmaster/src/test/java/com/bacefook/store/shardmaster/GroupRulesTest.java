package com.bacefook.store.shardmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ConfigurationRules} for replica groups: listed under their leader, with their replicas. */
class GroupRulesTest {
  private static final ReplicaSet A = new ReplicaSet("a", List.of("a1:1", "a2:2", "a3:3"));
  private static final ReplicaSet B = new ReplicaSet("b", List.of("b1:1", "b2:2", "b3:3"));

  private static Configuration twoGroupsAndAServer() {
    Configuration config = ConfigurationRules.join(Configuration.EMPTY, "a1:1", Optional.of(A));
    config = ConfigurationRules.join(config, "s:9");
    return ConfigurationRules.join(config, "b2:2", Optional.of(B));
  }

  @Test
  void aJoinedGroupIsListedUnderItsLeaderWithItsReplicas() {
    Configuration config = twoGroupsAndAServer();

    assertThat(config.serverNames()).containsExactly("a1:1", "s:9", "b2:2");
    assertThat(config.servers().get(0).group()).contains(A);
    assertThat(config.servers().get(1).group()).isEmpty();
    assertThat(config.servers().get(2).group()).contains(B);
    assertThat(config.rangesOf("b2:2")).containsExactly(new ShardRange(668, 1000));
  }

  @Test
  void joiningAnyReplicaOrTheNameOfAListedGroupSaysItHasJoined() {
    Configuration config = twoGroupsAndAServer();

    assertThatThrownBy(() -> ConfigurationRules.join(config, "a3:3"))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("is a replica of replica group 'a'")
        .hasMessageContaining("listed under its leader a1:1");
    assertThatThrownBy(
            () ->
                ConfigurationRules.join(
                    config, "c1:1", Optional.of(new ReplicaSet("c", List.of("c1:1", "b3:3")))))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("'b3:3'");
    assertThatThrownBy(
            () ->
                ConfigurationRules.join(
                    config, "c1:1", Optional.of(new ReplicaSet("a", List.of("c1:1")))))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("'a' has already joined");
  }

  @Test
  void aNewLeaderReplacesTheOldOneKeepingRangesAndGroup() {
    Configuration config = ConfigurationRules.move(twoGroupsAndAServer(), "s:9", new ShardRange(0, 10));

    Configuration next = ConfigurationRules.replace(config, "a1:1", "a2:2", Optional.empty());

    assertThat(next.serverNames()).containsExactly("a2:2", "s:9", "b2:2");
    assertThat(next.servers().get(0))
        .isEqualTo(new ServerRanges("a2:2", config.rangesOf("a1:1"), Optional.of(A)));
    ReplicaSet grown = new ReplicaSet("a", List.of("a1:1", "a2:2", "a3:3", "a4:4"));
    assertThat(
            ConfigurationRules.replace(next, "a2:2", "a3:3", Optional.of(grown))
                .servers()
                .get(0)
                .group())
        .contains(grown);
  }

  @Test
  void replacingAServerByItselfOnlyUpdatesItsGroup() {
    Configuration config = twoGroupsAndAServer();
    ReplicaSet fewer = new ReplicaSet("a", List.of("a1:1", "a2:2"));

    Configuration next = ConfigurationRules.replace(config, "a1:1", "a1:1", Optional.of(fewer));

    assertThat(next.number()).isEqualTo(config.number() + 1);
    assertThat(next.servers().get(0).group()).contains(fewer);
    assertThat(next.rangesOf("a1:1")).isEqualTo(config.rangesOf("a1:1"));
    assertThatThrownBy(() -> ConfigurationRules.replace(next, "a1:1", "a1:1", Optional.of(fewer)))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("nothing was changed");
    assertThatThrownBy(
            () ->
                ConfigurationRules.replace(
                    next, "a1:1", "a1:1", Optional.of(new ReplicaSet("a", List.of("a1:1", "b1:1")))))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("listed already, by b2:2");
  }

  @Test
  void leaveTakesAGroupByItsNameOrAnyReplicaAndKeepsTheOthersGroups() {
    Configuration config = twoGroupsAndAServer();

    Configuration byName = ConfigurationRules.leave(config, List.of("a"));
    Configuration byFollower = ConfigurationRules.leave(config, List.of("a3:3"));

    assertThat(byName).isEqualTo(byFollower);
    assertThat(byName.serverNames()).containsExactly("s:9", "b2:2");
    assertThat(byName.servers().get(1).group()).contains(B);
    assertThat(ConfigurationRules.leave(config, List.of("b", "b1:1", "s:9")).serverNames())
        .containsExactly("a1:1");
    assertThatThrownBy(() -> ConfigurationRules.leave(config, List.of("c")))
        .isInstanceOf(RejectedChangeException.class)
        .hasMessageContaining("nothing was removed");
  }

  @Test
  void moveKeepsGroups() {
    Configuration config =
        ConfigurationRules.move(twoGroupsAndAServer(), "b2:2", new ShardRange(0, 100));

    assertThat(config.servers().get(0).group()).contains(A);
    assertThat(config.servers().get(2).group()).contains(B);
  }
}
