package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
  private final Configuration config =
      new Configuration(
          7,
          List.of(
              new ServerRanges("a:1", List.of(new ShardRange(0, 99), new ShardRange(500, 500))),
              new ServerRanges("b:2", List.of(new ShardRange(100, 499))),
              new ServerRanges("c:3", List.of())));

  @Test
  void findsTheOwnerOfEachId() {
    assertThat(config.ownerOf(0)).contains("a:1");
    assertThat(config.ownerOf(500)).contains("a:1");
    assertThat(config.ownerOf(250)).contains("b:2");
    assertThat(config.ownerOf(501)).isEmpty();
    assertThat(config.isOwner("b:2", 100)).isTrue();
    assertThat(config.isOwner("a:1", 100)).isFalse();
  }

  @Test
  void listsServersInOrderEvenWithoutRanges() {
    assertThat(config.serverNames()).containsExactly("a:1", "b:2", "c:3");
    assertThat(config.contains("c:3")).isTrue();
    assertThat(config.rangesOf("c:3")).isEmpty();
    assertThat(config.rangesOf("nobody:1")).isEmpty();
    assertThat(config.number()).isEqualTo(7);
  }

  @Test
  void refusesOverlapsAndDuplicates() {
    assertThatThrownBy(
            () ->
                new Configuration(
                    1,
                    List.of(
                        new ServerRanges("a:1", List.of(new ShardRange(0, 10))),
                        new ServerRanges("b:1", List.of(new ShardRange(10, 20))))))
        .hasMessageContaining("ID 10");
    assertThatThrownBy(
            () ->
                new Configuration(
                    1, List.of(new ServerRanges("a:1", List.of()), new ServerRanges("a:1", List.of()))))
        .hasMessageContaining("twice");
  }

  @Test
  void goingRoundAReplicaGroupFromAnyMemberReachesEveryOther() {
    ReplicaSet group = new ReplicaSet("g1", List.of("r:1", "r:2", "r:3"));
    Configuration grouped =
        new Configuration(
            3,
            List.of(
                new ServerRanges("r:2", List.of(new ShardRange(0, 1000)), Optional.of(group)),
                new ServerRanges("solo:9", List.of())));

    assertThat(grouped.replicaAfter("r:2")).contains("r:3");
    assertThat(grouped.replicaAfter("r:3")).contains("r:1");
    assertThat(grouped.replicaAfter("r:1")).contains("r:2");
    assertThat(grouped.replicaAfter("solo:9")).isEmpty();
    assertThat(grouped.replicaAfter("nobody:1")).isEmpty();
    assertThat(new ReplicaSet("g2", List.of("only:1")).after("only:1")).isEmpty();
    assertThat(group.after("g1")).isEmpty();
  }
}
