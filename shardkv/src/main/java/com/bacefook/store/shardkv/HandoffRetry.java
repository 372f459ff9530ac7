package com.bacefook.store.shardkv;

import java.time.Duration;

/**
 * The pause before a handoff's next attempt: a capped exponential backoff, except that an attempt a
 * replica group's follower refused naming its leader goes to that leader at once, starting the
 * backoff over. Only once in a row: if the named leader refuses again, the backoff applies, so stale
 * hints cannot make a busy loop. Immutable.
 *
 * @param pause how long to wait before the next attempt
 * @param backoff the pause after the next ordinary failure
 * @param redirected whether the last failure named the leader to try
 */
record HandoffRetry(Duration pause, Duration backoff, boolean redirected) {
  static final Duration FIRST = Duration.ofMillis(50);
  static final Duration MAX = Duration.ofSeconds(1);

  /** Before the first attempt. */
  static final HandoffRetry START = new HandoffRetry(Duration.ZERO, FIRST, false);

  /**
   * After a failed attempt; {@code toLeader} if the refusal named the leader of the receiving group
   * (another address than the one tried).
   */
  HandoffRetry afterFailure(boolean toLeader) {
    if (toLeader && !redirected) {
      return new HandoffRetry(Duration.ZERO, FIRST, true);
    }
    Duration doubled = backoff.multipliedBy(2);
    return new HandoffRetry(backoff, doubled.compareTo(MAX) > 0 ? MAX : doubled, toLeader);
  }
}
