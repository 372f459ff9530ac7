package com.bacefook.store.bench;

import java.time.Duration;
import java.util.List;

/** Runs a {@link LoadGenerator} for a warm-up and a measured duration, printing progress each second. */
final class TimedStep {
  private TimedStep() {}

  /**
   * Runs the step; CPU is accounted over the measured window, with {@code pids} (and this JVM) as ours,
   * and {@code pids} alone as the servers whose CPU time per operation the result reports.
   */
  static StepResult run(
      LoadGenerator generator, Duration warmup, Duration duration, Progress progress, String label, List<Long> pids) {
    CpuAccounting.Snapshot cpuStart = null;
    generator.start();
    long start = System.nanoTime();
    long warmupEnd = start + warmup.toNanos();
    long end = warmupEnd + duration.toNanos();
    long nextTick = start + Clock.SECOND;
    boolean measuring = warmup.isZero();
    if (measuring) {
      generator.beginMeasuring();
      cpuStart = CpuAccounting.take(pids);
    }
    // Bounded by time: every pass moves to the next tick or boundary, and the last boundary is `end`.
    while (true) {
      long boundary = measuring ? end : warmupEnd;
      Clock.parkUntil(Math.min(nextTick, boundary));
      long now = System.nanoTime();
      if (Thread.currentThread().isInterrupted() || (measuring && now >= end)) {
        break;
      }
      if (!measuring && now >= warmupEnd) {
        generator.beginMeasuring();
        cpuStart = CpuAccounting.take(pids);
        measuring = true;
      }
      if (now >= nextTick) {
        LoadGenerator.Interval i = generator.takeInterval();
        double elapsed = (now - (measuring ? warmupEnd : start)) / 1e9;
        double of = (measuring ? duration : warmup).toMillis() / 1000.0;
        progress.line(
            "%-22s %-7s %5.1f/%.1fs %11s ops/s  p50 %8s  p99 %8s  errors %d",
            label,
            measuring ? "measure" : "warmup",
            elapsed,
            of,
            Tables.count(Math.round(i.opsPerSecond())),
            Tables.millis(i.latency().p50Us()),
            Tables.millis(i.latency().p99Us()),
            i.errors());
        nextTick += Clock.SECOND;
      }
    }
    CpuAccounting.Snapshot cpuEnd = CpuAccounting.take(pids);
    StepResult result = generator.finish();
    return cpuStart == null ? result : result.withCpu(cpuStart, cpuEnd);
  }
}
