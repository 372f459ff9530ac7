package com.bacefook.store.testkit.history;

import static com.bacefook.store.testkit.history.Ops.KEY;
import static com.bacefook.store.testkit.history.Ops.append;
import static com.bacefook.store.testkit.history.Ops.delete;
import static com.bacefook.store.testkit.history.Ops.get;
import static com.bacefook.store.testkit.history.Ops.onKey;
import static com.bacefook.store.testkit.history.Ops.put;
import static com.bacefook.store.testkit.history.Ops.unknownAppend;
import static com.bacefook.store.testkit.history.Ops.unknownDelete;
import static com.bacefook.store.testkit.history.Ops.unknownPut;
import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.testkit.history.KeyResult.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small hand-written histories, each one either linearizable or with exactly one flaw. */
class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private CheckResult check(Operation... history) {
    return checker.check(List.of(history));
  }

  private void assertLinearizable(Operation... history) {
    CheckResult result = check(history);
    assertThat(result.violations()).isEmpty();
    assertThat(result.undecidedKeys()).isEmpty();
    assertThat(result.isLinearizable()).isTrue();
  }

  private Violation assertViolation(Operation... history) {
    CheckResult result = check(history);
    assertThat(result.isLinearizable()).isFalse();
    assertThat(result.undecidedKeys()).isEmpty();
    assertThat(result.violations()).hasSize(1);
    Violation violation = result.violations().get(0);
    assertThat(violation.key()).isEqualTo(KEY);
    assertThat(violation.explanation()).contains(KEY);
    return violation;
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertLinearizable();
  }

  @Test
  void getConcurrentWithPutMaySeeTheOldValue() {
    assertLinearizable(put(1, "x", 0, 10), get(2, null, 5, 15));
  }

  @Test
  void getConcurrentWithPutMaySeeTheNewValue() {
    assertLinearizable(put(1, "x", 0, 10), get(2, "x", 5, 15));
  }

  @Test
  void concurrentPutsMayLandInEitherOrder() {
    assertLinearizable(
        put(1, "a", 0, 10), put(2, "b", 0, 10), get(3, "a", 11, 12), get(3, "a", 13, 14));
    assertLinearizable(put(1, "a", 0, 10), put(2, "b", 0, 10), get(3, "b", 11, 12));
  }

  @Test
  void getsDuringAPutSwitchOnceFromOldToNew() {
    assertLinearizable(
        put(1, "old", 0, 1),
        put(1, "new", 10, 50),
        get(2, "old", 11, 20),
        get(3, "new", 21, 30),
        get(2, "new", 31, 40));
  }

  @Test
  void appendsAccumulateInOrder() {
    assertLinearizable(
        append(1, "a;", 0, 1), append(2, "b;", 2, 3), get(3, "a;b;", 4, 5));
  }

  @Test
  void concurrentAppendsMayLandInEitherOrder() {
    assertLinearizable(append(1, "a;", 0, 10), append(2, "b;", 0, 10), get(3, "b;a;", 11, 12));
    assertLinearizable(append(1, "a;", 0, 10), append(2, "b;", 0, 10), get(3, "a;b;", 11, 12));
  }

  @Test
  void appendToAnAbsentKeyCreatesIt() {
    assertLinearizable(get(1, null, 0, 1), append(1, "a;", 2, 3), get(1, "a;", 4, 5));
  }

  @Test
  void deleteRemovesAndSecondDeleteFindsNothing() {
    assertLinearizable(
        put(1, "x", 0, 1),
        delete(1, true, 2, 3),
        get(2, null, 4, 5),
        delete(2, false, 6, 7),
        append(1, "y", 8, 9),
        get(2, "y", 10, 11));
  }

  @Test
  void concurrentDeletesOneFindsTheValue() {
    assertLinearizable(put(1, "x", 0, 1), delete(2, true, 2, 10), delete(3, false, 2, 10));
  }

  @Test
  void unknownPutMayHaveHappenedLongAfterItWasIssued() {
    assertLinearizable(
        unknownPut(1, "x", 0), get(2, null, 10, 11), get(2, "x", 100, 101), get(2, "x", 102, 103));
  }

  @Test
  void unknownPutMayNeverHaveHappened() {
    assertLinearizable(put(2, "a", 0, 1), unknownPut(1, "x", 2), get(2, "a", 100, 101));
  }

  @Test
  void unknownAppendAndDeleteMayOrMayNotHaveHappened() {
    assertLinearizable(
        put(1, "a;", 0, 1),
        unknownAppend(2, "b;", 2),
        unknownDelete(3, 3),
        get(1, "a;", 10, 11),
        get(1, "a;b;", 12, 13),
        get(1, null, 14, 15));
  }

  @Test
  void manyUnknownOperationsThatNeverHappened() {
    List<Operation> history = new ArrayList<>();
    history.add(put(0, "base", 0, 1));
    for (int i = 0; i < 40; i++) {
      history.add(unknownPut(1 + i, "ghost" + i, 2 + i));
    }
    for (int i = 0; i < 40; i++) {
      history.add(get(0, "base", 100 + 2 * i, 101 + 2 * i));
    }
    assertThat(checker.check(history).isLinearizable()).isTrue();
  }

  @Test
  void unknownDeletesCanEachExplainOneDisappearance() {
    assertLinearizable(
        put(1, "x", 0, 1),
        unknownDelete(2, 2),
        unknownDelete(3, 3),
        get(1, null, 10, 11),
        put(1, "y", 12, 13),
        get(1, null, 14, 15));
  }

  @Test
  void oneUnknownDeleteCannotExplainTwoDisappearances() {
    assertViolation(
        put(1, "x", 0, 1),
        unknownDelete(2, 2),
        get(1, null, 10, 11),
        put(1, "y", 12, 13),
        get(1, null, 14, 15));
  }

  @Test
  void unreadUnknownWritesCanEachExplainOneSuccessfulDelete() {
    assertLinearizable(
        unknownPut(1, "ghost1", 0),
        unknownAppend(2, "ghost2;", 1),
        delete(3, true, 10, 11),
        delete(3, true, 12, 13),
        get(3, null, 14, 15));
  }

  @Test
  void oneUnreadUnknownWriteCannotExplainTwoSuccessfulDeletes() {
    assertViolation(
        unknownPut(1, "ghost1", 0), delete(3, true, 10, 11), delete(3, true, 12, 13));
  }

  @Test
  void unknownAppendTakesEffectBetweenTheRightNeighbours() {
    assertLinearizable(
        append(1, "a;", 0, 1),
        unknownAppend(2, "b;", 2),
        append(1, "c;", 10, 11),
        get(3, "a;", 5, 6),
        get(3, "a;b;c;", 20, 21));
    assertViolation(
        append(1, "a;", 0, 1),
        unknownAppend(2, "b;", 2),
        append(1, "c;", 10, 11),
        get(3, "a;c;", 15, 16),
        get(3, "a;b;c;", 20, 21));
  }

  @Test
  void staleReadIsFlagged() {
    Violation violation =
        assertViolation(put(1, "a", 0, 1), put(1, "b", 2, 3), get(2, "a", 4, 5));
    assertThat(violation.operations()).contains(get(2, "a", 4, 5));
    assertThat(violation.explanation()).contains("c2 GET k_1 -> \"a\"");
  }

  @Test
  void lostAppendIsFlagged() {
    assertViolation(append(1, "a;", 0, 1), append(2, "b;", 2, 3), get(3, "b;", 4, 5));
  }

  @Test
  void appendsSeenOutOfOrderAreFlagged() {
    assertViolation(append(1, "a;", 0, 1), append(2, "b;", 2, 3), get(3, "b;a;", 4, 5));
  }

  @Test
  void lostPutIsFlagged() {
    assertViolation(put(1, "x", 0, 1), get(2, null, 2, 3));
  }

  @Test
  void readOfADeletedKeyIsFlagged() {
    assertViolation(put(1, "x", 0, 1), delete(2, true, 2, 3), get(3, "x", 4, 5));
  }

  @Test
  void deleteThatFoundAnAbsentKeyIsFlagged() {
    assertViolation(delete(1, true, 0, 1));
  }

  @Test
  void deleteThatMissedAPresentKeyIsFlagged() {
    assertViolation(put(1, "x", 0, 1), delete(2, false, 2, 3));
  }

  @Test
  void readOfAValueNobodyWroteIsFlagged() {
    assertViolation(put(1, "x", 0, 10), get(2, "y", 5, 15));
  }

  @Test
  void unknownPutCannotTakeEffectBeforeItWasIssued() {
    assertViolation(get(2, "x", 0, 1), unknownPut(1, "x", 2));
  }

  @Test
  void valueCannotComeBackAfterBeingOverwritten() {
    assertViolation(
        put(1, "a", 0, 1),
        get(2, "a", 2, 3),
        put(1, "b", 4, 5),
        get(2, "b", 6, 7),
        get(2, "a", 8, 9));
  }

  @Test
  void keysAreCheckedIndependently() {
    CheckResult result =
        checker.check(
            List.of(
                onKey("k_2", put(1, "a", 0, 1)),
                onKey("k_2", get(2, "a", 2, 3)),
                put(1, "a", 0, 1),
                get(2, null, 2, 3)));
    assertThat(result.keys()).isEqualTo(2);
    assertThat(result.violations()).extracting(Violation::key).containsExactly(KEY);
  }

  @Test
  void unknownGetsAreIgnored() {
    Operation unknownGet =
        new Operation(1, KEY, Operation.Kind.GET, null, Operation.Outcome.UNKNOWN, null, 0, 1);
    CheckResult result = check(unknownGet, put(1, "a", 2, 3));
    assertThat(result.operations()).isEqualTo(1);
    assertThat(result.isLinearizable()).isTrue();
  }

  @Test
  void searchThatRunsOutOfBudgetIsUndecidedNotPassed() {
    List<Operation> history = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      history.add(append(i, i + ";", 0, 100));
    }
    history.add(get(99, "no such value", 101, 102));
    KeyResult result = new LinearizabilityChecker(50).checkKey(KEY, history);
    assertThat(result.verdict()).isEqualTo(Verdict.UNDECIDED);
    CheckResult whole = new LinearizabilityChecker(50).check(history);
    assertThat(whole.undecidedKeys()).containsExactly(KEY);
    assertThat(whole.isLinearizable()).isFalse();
  }
}
