package com.bacefook.store.testkit.history;

import java.util.Optional;

/**
 * The verdict on one key's history.
 *
 * @param key the key
 * @param verdict whether the history is linearizable, is not, or the search gave up
 * @param operations how many operations were checked (a {@code GET} with an unknown outcome is not)
 * @param steps how many search steps it took
 * @param violation why it is not linearizable, when it is not
 */
public record KeyResult(
    String key, Verdict verdict, int operations, long steps, Optional<Violation> violation) {

  /** The possible verdicts. */
  public enum Verdict {
    /** Some order of the operations explains every answer. */
    LINEARIZABLE,
    /** No order does. */
    VIOLATION,
    /** The search ran out of its step budget before it could tell. */
    UNDECIDED
  }
}
