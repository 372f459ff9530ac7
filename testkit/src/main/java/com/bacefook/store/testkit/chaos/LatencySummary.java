package com.bacefook.store.testkit.chaos;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Percentiles of a set of operation latencies (nearest rank on the sorted latencies).
 *
 * @param count how many operations
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param max the slowest
 */
public record LatencySummary(int count, Duration p50, Duration p99, Duration max) {
  /** Summarizes {@code nanos} (which it sorts in place). */
  public static LatencySummary of(long[] nanos) {
    if (nanos.length == 0) {
      return new LatencySummary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
    Arrays.sort(nanos);
    return new LatencySummary(
        nanos.length,
        Duration.ofNanos(percentile(nanos, 50)),
        Duration.ofNanos(percentile(nanos, 99)),
        Duration.ofNanos(nanos[nanos.length - 1]));
  }

  private static long percentile(long[] sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d ops, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        count, p50.toNanos() / 1e6, p99.toNanos() / 1e6, max.toNanos() / 1e6);
  }
}
