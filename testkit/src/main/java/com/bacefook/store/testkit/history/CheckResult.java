package com.bacefook.store.testkit.history;

import java.time.Duration;
import java.util.List;

/**
 * What {@link LinearizabilityChecker} found in a history.
 *
 * @param keys how many keys were checked
 * @param operations how many operations were checked
 * @param steps search steps over all keys
 * @param maxStepsPerKey the most steps one key took
 * @param violations the keys whose history is not linearizable, with why
 * @param undecidedKeys the keys the search gave up on: neither a pass nor a failure
 * @param elapsed how long the check took
 */
public record CheckResult(
    int keys,
    int operations,
    long steps,
    long maxStepsPerKey,
    List<Violation> violations,
    List<String> undecidedKeys,
    Duration elapsed) {

  /** Copies the lists. */
  public CheckResult {
    violations = List.copyOf(violations);
    undecidedKeys = List.copyOf(undecidedKeys);
  }

  /** Returns whether every key was shown linearizable. */
  public boolean isLinearizable() {
    return violations.isEmpty() && undecidedKeys.isEmpty();
  }

  /** Returns a one-line summary. */
  public String summary() {
    return String.format(
        "%d keys, %d operations checked in %d ms (%d steps, at most %d for one key):"
            + " %d violations, %d undecided",
        keys, operations, elapsed.toMillis(), steps, maxStepsPerKey, violations.size(),
        undecidedKeys.size());
  }

  @Override
  public String toString() {
    return summary();
  }
}
