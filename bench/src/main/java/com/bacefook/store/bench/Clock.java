package com.bacefook.store.bench;

import java.util.concurrent.locks.LockSupport;

/** Waiting until a point in {@link System#nanoTime} time, for the controllers' once-a-second ticks. */
final class Clock {
  static final long SECOND = 1_000_000_000L;

  private Clock() {}

  /** Parks the calling thread until {@code deadline}; returns early only if interrupted. */
  static void parkUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(left);
    }
  }
}
