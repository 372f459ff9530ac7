package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandoffRetryTest {
  @Test
  void failuresBackOffExponentiallyUpToASecond() {
    List<Long> pauses = new ArrayList<>();
    HandoffRetry retry = HandoffRetry.START;
    for (int i = 0; i < 7; i++) {
      retry = retry.afterFailure(false);
      pauses.add(retry.pause().toMillis());
    }

    assertThat(pauses).containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L);
  }

  @Test
  void aRefusalNamingTheLeaderIsFollowedAtOnceAndStartsTheBackoffOver() {
    HandoffRetry backedOff = HandoffRetry.START;
    for (int i = 0; i < 6; i++) {
      backedOff = backedOff.afterFailure(false);
    }

    HandoffRetry redirected = backedOff.afterFailure(true);

    assertThat(redirected.pause()).isEqualTo(Duration.ZERO);
    assertThat(redirected.afterFailure(false).pause()).isEqualTo(HandoffRetry.FIRST);
  }

  @Test
  void aSecondRedirectInARowWaitsSoStaleHintsCannotSpin() {
    HandoffRetry once = HandoffRetry.START.afterFailure(true);
    HandoffRetry twice = once.afterFailure(true);

    assertThat(twice.pause()).isEqualTo(HandoffRetry.FIRST);
    assertThat(twice.afterFailure(true).pause()).isEqualTo(HandoffRetry.FIRST.multipliedBy(2));
    assertThat(twice.afterFailure(false).afterFailure(true).pause()).isEqualTo(Duration.ZERO);
  }
}
