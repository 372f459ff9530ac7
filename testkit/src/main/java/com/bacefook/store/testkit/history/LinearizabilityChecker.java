package com.bacefook.store.testkit.history;

import com.bacefook.store.testkit.history.KeyResult.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether a history of key-value operations is linearizable.
 *
 * <p>Keys are independent, so each key's operations are checked on their own against a register with
 * append ({@code RegisterModel}); a history is linearizable exactly when every key's is. The search per
 * key is a depth-first search with memoisation ({@code KeySearch}); it stops after a budget of steps
 * and then reports the key as undecided, which is neither a pass nor a failure. Keys are checked in
 * parallel. Operations with an unknown outcome may take effect at any time after they were invoked, or
 * never; a {@code GET} with an unknown outcome says nothing and is ignored.
 */
public final class LinearizabilityChecker {
  /**
   * The default step budget per key: one to a few seconds of search. A key that spends all of it may
   * hold some hundreds of MB of explored configurations until its search ends.
   */
  public static final long DEFAULT_STEP_BUDGET = 5_000_000;

  private final long stepBudgetPerKey;

  /** Creates a checker with the {@link #DEFAULT_STEP_BUDGET}. */
  public LinearizabilityChecker() {
    this(DEFAULT_STEP_BUDGET);
  }

  /** Creates a checker that gives up on a key after {@code stepBudgetPerKey} search steps. */
  public LinearizabilityChecker(long stepBudgetPerKey) {
    if (stepBudgetPerKey <= 0) {
      throw new IllegalArgumentException("step budget must be positive, got " + stepBudgetPerKey);
    }
    this.stepBudgetPerKey = stepBudgetPerKey;
  }

  /** Checks every key of {@code history}. */
  public CheckResult check(Collection<Operation> history) {
    long start = System.nanoTime();
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : history) {
      if (op.kind() == Operation.Kind.GET && op.isUnknown()) {
        continue;
      }
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    List<Map.Entry<String, List<Operation>>> keys = new ArrayList<>(byKey.entrySet());
    // Biggest first, so one long key does not finish alone at the end.
    keys.sort(Comparator.comparingInt(e -> -e.getValue().size()));
    List<KeyResult> results =
        keys.parallelStream().map(e -> checkKey(e.getKey(), e.getValue())).toList();
    return summarize(results, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Checks the operations of one key (all of them must be on {@code key}). */
  public KeyResult checkKey(String key, List<Operation> operations) {
    for (Operation op : operations) {
      if (!op.key().equals(key)) {
        throw new IllegalArgumentException("operation on " + op.key() + " in the history of " + key);
      }
    }
    List<Operation> relevant =
        operations.stream()
            .filter(op -> !(op.kind() == Operation.Kind.GET && op.isUnknown()))
            .toList();
    return new KeySearch(key, relevant, stepBudgetPerKey).run();
  }

  private static CheckResult summarize(List<KeyResult> results, Duration elapsed) {
    List<Violation> violations = new ArrayList<>();
    List<String> undecided = new ArrayList<>();
    int operations = 0;
    long steps = 0;
    long maxSteps = 0;
    for (KeyResult result : results.stream().sorted(Comparator.comparing(KeyResult::key)).toList()) {
      operations += result.operations();
      steps += result.steps();
      maxSteps = Math.max(maxSteps, result.steps());
      result.violation().ifPresent(violations::add);
      if (result.verdict() == Verdict.UNDECIDED) {
        undecided.add(result.key());
      }
    }
    return new CheckResult(
        results.size(), operations, steps, maxSteps, violations, undecided, elapsed);
  }
}
