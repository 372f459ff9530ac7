package com.bacefook.store.bench;

import org.HdrHistogram.Histogram;

/** Latency percentiles in microseconds, taken from a histogram. */
record LatencyStats(long count, long p50Us, long p99Us, long p999Us, long maxUs, double meanUs) {
  static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);

  static LatencyStats of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencyStats(
        h.getTotalCount(),
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9),
        h.getMaxValue(),
        Math.round(h.getMean() * 10) / 10.0);
  }
}
