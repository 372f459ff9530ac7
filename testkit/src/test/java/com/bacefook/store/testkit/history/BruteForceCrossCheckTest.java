package com.bacefook.store.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.testkit.history.KeyResult.Verdict;
import com.bacefook.store.testkit.history.Operation.Kind;
import com.bacefook.store.testkit.history.Operation.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker's shortcuts (reads first, unreadable values merged, interchangeable unknown operations
 * tried once, dominated configurations skipped) must not change any verdict: on thousands of small
 * random histories, linearizable or not, it must agree with a plain search over every order.
 */
class BruteForceCrossCheckTest {
  private static final int HISTORIES = 20_000;

  @Test
  void agreesWithExhaustiveSearchOnSmallHistories() {
    Random random = new Random(Long.getLong("crosscheck.seed", 42));
    LinearizabilityChecker checker = new LinearizabilityChecker();
    int linearizable = 0;
    for (int i = 0; i < HISTORIES; i++) {
      List<Operation> history = randomHistory(random, 1 + random.nextInt(10));
      boolean expected = bruteForce(history, new boolean[history.size()], RegisterModel.ABSENT);
      KeyResult result = checker.checkKey(Ops.KEY, history);
      assertThat(result.verdict())
          .as("history %d: %s", i, history)
          .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.VIOLATION);
      linearizable += expected ? 1 : 0;
    }
    System.out.printf(
        "cross-check: %d of %d small histories linearizable, all verdicts agree%n",
        linearizable, HISTORIES);
    // Both verdicts must be well represented for the comparison to mean something.
    assertThat(linearizable).isBetween(HISTORIES / 5, HISTORIES * 4 / 5);
  }

  /** Returns whether the operations not yet {@code done} can follow from {@code state}. */
  private static boolean bruteForce(List<Operation> history, boolean[] done, String state) {
    boolean allKnownDone = true;
    for (int i = 0; i < history.size(); i++) {
      if (!done[i] && !history.get(i).isUnknown()) {
        allKnownDone = false;
      }
    }
    if (allKnownDone) {
      return true;
    }
    for (int i = 0; i < history.size(); i++) {
      if (done[i] || !isMinimal(history, done, i)) {
        continue;
      }
      String next = RegisterModel.step(state, history.get(i));
      if (next == RegisterModel.ILLEGAL) {
        continue;
      }
      done[i] = true;
      boolean found = bruteForce(history, done, next);
      done[i] = false;
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether no pending known operation returned before operation {@code i} was invoked. */
  private static boolean isMinimal(List<Operation> history, boolean[] done, int i) {
    for (int j = 0; j < history.size(); j++) {
      Operation other = history.get(j);
      if (!done[j] && j != i && !other.isUnknown()
          && other.returnNanos() < history.get(i).invokeNanos()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A sequential run with overlapping intervals, unknown outcomes (some never applied) and, now and
   * then, a read that returns something else, so that about half are linearizable.
   */
  private static List<Operation> randomHistory(Random random, int count) {
    List<Operation> history = new ArrayList<>();
    List<String> written = new ArrayList<>();
    String state = null;
    for (int i = 0; i < count; i++) {
      long point = 10L * i + 100;
      long invoke = point - random.nextInt(15);
      long ret = point + random.nextInt(15);
      int dice = random.nextInt(100);
      if (dice < 40) {
        String seen = state;
        if (random.nextInt(2) == 0) {
          seen = written.isEmpty() || random.nextBoolean()
              ? null : written.get(random.nextInt(written.size()));
        }
        Outcome outcome = seen == null ? Outcome.NOT_FOUND : Outcome.OK;
        history.add(new Operation(0, Ops.KEY, Kind.GET, null, outcome, seen, invoke, ret));
        continue;
      }
      Kind kind = dice < 65 ? Kind.PUT : dice < 90 ? Kind.APPEND : Kind.DELETE;
      String input = kind == Kind.PUT ? "p" + i : kind == Kind.APPEND ? "a" + i + ";" : null;
      boolean unknown = random.nextInt(4) == 0;
      boolean applied = !unknown || random.nextBoolean();
      Outcome outcome =
          unknown ? Outcome.UNKNOWN
              : kind == Kind.DELETE && state == null ? Outcome.NOT_FOUND : Outcome.OK;
      if (kind == Kind.DELETE && !unknown && random.nextInt(3) == 0) {
        outcome = outcome == Outcome.OK ? Outcome.NOT_FOUND : Outcome.OK;
      }
      if (applied) {
        state = kind == Kind.PUT ? input
            : kind == Kind.APPEND ? (state == null ? input : state + input)
            : null;
        if (state != null) {
          written.add(state);
        }
      }
      history.add(new Operation(1, Ops.KEY, kind, input, outcome, null, invoke, ret));
    }
    return history;
  }
}
