package com.bacefook.store.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.testkit.history.KeyResult.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Histories generated from a sequential run pass; the same histories with one read corrupted fail. */
class RandomHistoriesCheckTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void sequentialRunsWithOverlappingIntervalsAreLinearizable(long seed) {
    List<Operation> history = new RandomHistories(seed, 5, 4, 0.05).generate(2_000);
    CheckResult result = checker.check(history);
    assertThat(result.violations()).isEmpty();
    assertThat(result.undecidedKeys()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void aReadOfAValueNeverWrittenIsFound(long seed) {
    List<Operation> history = new ArrayList<>(new RandomHistories(seed, 3, 4, 0.05).generate(600));
    int victim = history.size() / 2;
    while (history.get(victim).kind() != Operation.Kind.GET) {
      victim++;
    }
    Operation read = history.get(victim);
    history.set(
        victim,
        new Operation(
            read.clientId(), read.key(), read.kind(), null, Operation.Outcome.OK, "never written",
            read.invokeNanos(), read.returnNanos()));
    CheckResult result = checker.check(history);
    assertThat(result.violations()).extracting(Violation::key).containsExactly(read.key());
    assertThat(result.violations().get(0).operations()).contains(history.get(victim));
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23, 24, 25})
  void aLostWriteIsFound(long seed) {
    // Drop the effect of one acknowledged put: reads after it now see what came before.
    List<Operation> history = new ArrayList<>(new RandomHistories(seed, 1, 1, 0).generate(400));
    int victim = history.size() / 2;
    while (history.get(victim).kind() != Operation.Kind.PUT
        || !isReadLater(history, victim, history.get(victim).input())) {
      victim++;
    }
    Operation lost = history.get(victim);
    history.set(
        victim,
        new Operation(
            lost.clientId(), lost.key(), Operation.Kind.PUT, "other", Operation.Outcome.OK, null,
            lost.invokeNanos(), lost.returnNanos()));
    assertThat(checker.check(history).violations()).hasSize(1);
  }

  private static boolean isReadLater(List<Operation> history, int index, String value) {
    for (int i = index + 1; i < history.size(); i++) {
      Operation op = history.get(i);
      if (op.kind() == Operation.Kind.GET && value.equals(op.output())) {
        return true;
      }
    }
    return false;
  }

  @Test
  @Timeout(60)
  void thousandsOfConcurrentOperationsOnOneKeyCheckInSeconds() {
    List<Operation> history = new RandomHistories(99, 1, 8, 0.02).generate(5_000);
    long start = System.nanoTime();
    KeyResult result = checker.checkKey("k_0", history);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "checked 5000 ops on one key (intervals spanning up to 17 points) in %d ms, %d steps%n",
        millis, result.steps());
    assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  @Timeout(60)
  void aStaleReadAtTheEndOfALongHistoryIsFound() {
    List<Operation> history = new ArrayList<>(new RandomHistories(98, 1, 4, 0.02).generate(3_000));
    Operation last = history.get(history.size() - 1);
    long end = last.returnNanos() + 1_000;
    history.add(
        new Operation(
            0, last.key(), Operation.Kind.PUT, "final", Operation.Outcome.OK, null, end, end + 1));
    history.add(
        new Operation(
            0, last.key(), Operation.Kind.GET, null, Operation.Outcome.OK, "p0", end + 2, end + 3));
    long start = System.nanoTime();
    KeyResult result = checker.checkKey(last.key(), history);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "found the violation in 3002 ops on one key in %d ms, %d steps%n", millis, result.steps());
    assertThat(result.verdict()).isEqualTo(Verdict.VIOLATION);
  }
}
