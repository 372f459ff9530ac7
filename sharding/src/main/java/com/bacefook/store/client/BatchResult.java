package com.bacefook.store.client;

import io.grpc.StatusRuntimeException;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of a batch of writes: every key not in {@code failures} was applied. A failed key was
 * not applied, unless its status is {@code UNAVAILABLE} or {@code DEADLINE_EXCEEDED} without a
 * refusal, which means its outcome is unknown.
 *
 * @param keys the keys in the batch
 * @param failures by position in the batch, the keys not known to be applied, and why
 */
public record BatchResult(int keys, SortedMap<Integer, StatusRuntimeException> failures) {
  /** Copies {@code failures}. */
  public BatchResult {
    failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
  }

  /** The keys that were applied. */
  public int applied() {
    return keys - failures.size();
  }
}
