package com.bacefook.store.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.rpc.RequestIds;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryRulesTest {
  private static final StatusRuntimeException REFUSED =
      Refusals.wrongOwner("k_5_1", 5, "a:1", 4, Optional.of("b:2"));
  private static final StatusRuntimeException UNKNOWN =
      Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException();
  private static final StatusRuntimeException NEVER_SENT =
      Status.UNAVAILABLE.withCause(new ConnectException("refused")).asRuntimeException();

  @Test
  void writesAreRetriedOnlyWhenCertainlyNotApplied() {
    assertThat(RetryRules.retryable(REFUSED, false)).isTrue();
    assertThat(RetryRules.retryable(NEVER_SENT, false)).isTrue();
    assertThat(RetryRules.retryable(UNKNOWN, false)).isFalse();
    assertThat(RetryRules.retryable(Status.DEADLINE_EXCEEDED.asRuntimeException(), false)).isFalse();
    assertThat(RetryRules.retryable(Status.NOT_FOUND.asRuntimeException(), false)).isFalse();
  }

  @Test
  void readsAreAlsoRetriedAfterAnUnknownOutcome() {
    assertThat(RetryRules.retryable(UNKNOWN, true)).isTrue();
    assertThat(RetryRules.retryable(Status.DEADLINE_EXCEEDED.asRuntimeException(), true)).isTrue();
    assertThat(RetryRules.retryable(Status.INVALID_ARGUMENT.asRuntimeException(), true)).isFalse();
  }

  @Test
  void aHintIsFollowedOnlyFromAConfigurationAtLeastAsNewAsOurs() {
    assertThat(RetryRules.hint(REFUSED, Configuration.EMPTY)).contains("b:2");
    assertThat(RetryRules.hint(REFUSED, new Configuration(9, List.of()))).isEmpty();
    assertThat(RetryRules.hint(UNKNOWN, Configuration.EMPTY)).isEmpty();
  }

  @Test
  void aReplicaGroupMemberNamesItsLeaderWhateverTheConfiguration() {
    StatusRuntimeException notLeader = Refusals.notLeader("g1", "b", Optional.of("a:1"), 3, 3);
    StatusRuntimeException noLeader = Refusals.notLeader("g1", "b", Optional.empty(), 1, 3);

    assertThat(notLeader.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(RetryRules.hint(notLeader, new Configuration(9, List.of()))).contains("a:1");
    assertThat(RetryRules.retryable(notLeader, false)).isTrue();
    assertThat(noLeader.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(noLeader.getStatus().getDescription()).contains("sees 1 of 3 members");
    assertThat(RetryRules.retryable(noLeader, false)).isTrue();
    assertThat(RetryRules.hint(noLeader, Configuration.EMPTY)).isEmpty();
  }

  @Test
  void aGroupMemberThatDoesNotAnswerOrKnowsNoLeaderIsFollowedByTheGroupsNextMember() {
    Configuration config =
        new Configuration(
            4,
            List.of(
                new ServerRanges(
                    "m:1",
                    List.of(new ShardRange(0, 500)),
                    Optional.of(new ReplicaSet("g1", List.of("m:1", "m:2", "m:3")))),
                new ServerRanges("solo:1", List.of(new ShardRange(501, 1000)))));
    StatusRuntimeException noLeader = Refusals.notLeader("g1", "b", Optional.empty(), 1, 3);
    StatusRuntimeException notLeader = Refusals.notLeader("g1", "b", Optional.of("m:3"), 3, 3);

    assertThat(RetryRules.detour(NEVER_SENT, config, "m:1")).contains("m:2");
    assertThat(RetryRules.detour(UNKNOWN, config, "m:3")).contains("m:1");
    assertThat(RetryRules.detour(noLeader, config, "m:2")).contains("m:3");
    assertThat(RetryRules.detour(notLeader, config, "m:2")).as("it named the leader").isEmpty();
    assertThat(RetryRules.detour(Refusals.notReady("handing off"), config, "m:1")).isEmpty();
    assertThat(RetryRules.detour(Status.NOT_FOUND.asRuntimeException(), config, "m:1")).isEmpty();
    assertThat(RetryRules.detour(NEVER_SENT, config, "solo:1")).isEmpty();
  }

  @Test
  void aWriteOfUnknownOutcomeIsRetriedIfTheServerDeduplicatesIt() {
    StatusRuntimeException deduplicated =
        Status.UNAVAILABLE.withDescription("not committed in time")
            .asRuntimeException(RequestIds.deduplicatedTrailers());

    assertThat(RetryRules.retryable(deduplicated, false)).isTrue();
  }

  @Test
  void backoffDoublesUpToItsCap() {
    assertThat(RetryRules.next(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(20));
    assertThat(RetryRules.next(Duration.ofMillis(150))).isEqualTo(RetryRules.MAX_BACKOFF);
  }
}
