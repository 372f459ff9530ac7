package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SenderLivenessTest {
  /** g1 (members a1, a2, a3, listed under a1) owns [0,500]; s, on its own, owns [501,1000]. */
  private static final Configuration BEFORE =
      new Configuration(
          4,
          List.of(
              new ServerRanges(
                  "a1",
                  List.of(new ShardRange(0, 500)),
                  Optional.of(new ReplicaSet("g1", List.of("a1", "a2", "a3")))),
              new ServerRanges("s", List.of(new ShardRange(501, 1000)))));

  private static final ServerStatus FOLLOWER_WITHOUT_LEADER = ServerStatus.newBuilder().build();

  private static ServerStatus knowingLeader(String leader) {
    return ServerStatus.newBuilder().setLeader(leader).build();
  }

  @Test
  void aServerOnItsOwnIsNotAskedAndIsGivenUpOnAtTheTimeoutAsBefore() {
    SenderLiveness s = SenderLiveness.of(BEFORE, "s");

    assertThat(s.addresses()).isEmpty();
    SenderLiveness.Verdict verdict = s.judge(Map.of("s", ServerStatus.getDefaultInstance()));
    assertThat(verdict.alive()).isFalse();
    assertThat(verdict.reason()).contains("on its own");
  }

  @Test
  void aSenderTheConfigurationDoesNotListIsTakenForAServerOnItsOwn() {
    SenderLiveness unknown = SenderLiveness.of(Configuration.EMPTY, "a2");

    assertThat(unknown.group()).isEmpty();
    assertThat(unknown.addresses()).isEmpty();
  }

  @Test
  void everyMemberOfAGroupIsAskedWhicheverAddressNamesIt() {
    assertThat(SenderLiveness.of(BEFORE, "a1").addresses()).containsExactly("a1", "a2", "a3");
    assertThat(SenderLiveness.of(BEFORE, "a3").addresses()).containsExactly("a1", "a2", "a3");
  }

  @Test
  void aGroupIsThereWhileAMajorityAnswersEvenWithoutALeader() {
    SenderLiveness g1 = SenderLiveness.of(BEFORE, "a1");

    SenderLiveness.Verdict verdict =
        g1.judge(Map.of("a2", FOLLOWER_WITHOUT_LEADER, "a3", FOLLOWER_WITHOUT_LEADER));

    assertThat(verdict.alive()).isTrue();
    assertThat(verdict.reason()).contains("2 of 3 members answer");
  }

  @Test
  void aGroupIsThereWhileAMemberThatAnswersKnowsALeader() {
    SenderLiveness g1 = SenderLiveness.of(BEFORE, "a1");

    assertThat(g1.judge(Map.of("a3", knowingLeader("a2"))).alive()).isTrue();
  }

  @Test
  void aGroupIsGoneWhenNoMemberAnswersOrOnlyAMinorityWithoutALeader() {
    SenderLiveness g1 = SenderLiveness.of(BEFORE, "a1");

    assertThat(g1.judge(Map.of()).alive()).isFalse();
    SenderLiveness.Verdict minority = g1.judge(Map.of("a2", FOLLOWER_WITHOUT_LEADER));
    assertThat(minority.alive()).isFalse();
    assertThat(minority.reason()).contains("1 of 3 members answer").contains("none knows a leader");
  }

  @Test
  void answersFromAddressesOutsideTheSenderAreNotCounted() {
    SenderLiveness g1 = SenderLiveness.of(BEFORE, "a1");

    assertThat(g1.judge(Map.of("s", knowingLeader("s"), "x", FOLLOWER_WITHOUT_LEADER)).alive())
        .isFalse();
    assertThat(SenderLiveness.of(BEFORE, "s").judge(Map.of("a1", knowingLeader("a1"))).alive())
        .isFalse();
  }
}
