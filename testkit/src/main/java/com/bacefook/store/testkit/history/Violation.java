package com.bacefook.store.testkit.history;

import java.util.List;

/**
 * A key whose history no order of its operations explains.
 *
 * @param key the key
 * @param explanation what went wrong, in words: the longest explainable prefix found, the state it
 *     leaves, and the operation that cannot follow it
 * @param operations the operations involved: the end of that prefix, the candidates that could not go
 *     next, and the operation that had to
 */
public record Violation(String key, String explanation, List<Operation> operations) {
  /** Copies {@code operations}. */
  public Violation {
    operations = List.copyOf(operations);
  }

  @Override
  public String toString() {
    return explanation;
  }
}
