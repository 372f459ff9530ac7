package com.bacefook.store.gateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * What may come back for one request, and what a success changes.
 *
 * @param statuses the statuses allowed; empty allows any status below 500
 * @param onSuccess applied to the fuzzer's model when the answer is 2xx
 * @param check checks a 2xx JSON answer; null if it needs no check
 */
record Outcome(Set<Integer> statuses, Runnable onSuccess, Check check) {
  /** Checks an answer's JSON; returns what is wrong with it, or null. */
  interface Check {
    String problem(JsonNode answer);
  }

  private static final Runnable NOTHING = () -> {};

  Outcome {
    statuses = Set.copyOf(statuses);
  }

  /** Only {@code status}, changing nothing. */
  static Outcome only(int status) {
    return new Outcome(Set.of(status), NOTHING, null);
  }

  /** Any status below 500, changing nothing. */
  static Outcome anyBelow500() {
    return new Outcome(Set.of(), NOTHING, null);
  }

  /** {@code status} whose answer must pass {@code check}. */
  static Outcome checked(int status, Check check) {
    return new Outcome(Set.of(status), NOTHING, check);
  }

  /** {@code status}, which changes the model with {@code onSuccess}. */
  static Outcome changing(int status, Runnable onSuccess) {
    return new Outcome(Set.of(status), onSuccess, null);
  }

  boolean allows(int status) {
    return statuses.isEmpty() ? status < 500 : statuses.contains(status);
  }

  /** This outcome, or else any of {@code others} (which change nothing). */
  Outcome orElse(Integer... others) {
    if (statuses.isEmpty()) {
      return this;
    }
    Set<Integer> all = new TreeSet<>(statuses);
    all.addAll(Set.of(others));
    return new Outcome(all, onSuccess, check);
  }

  String describeStatuses() {
    return statuses.isEmpty() ? "any < 500" : new TreeSet<>(statuses).toString();
  }
}
