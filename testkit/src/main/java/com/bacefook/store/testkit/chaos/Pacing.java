package com.bacefook.store.testkit.chaos;

import java.util.concurrent.TimeUnit;

/** The rhythm of a chaos run's fault threads: waits that pace faults, not synchronisation. */
final class Pacing {
  private Pacing() {}

  /** Waits until {@link System#nanoTime()} reaches {@code nanos}, or the thread is interrupted. */
  static void until(long nanos) {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
