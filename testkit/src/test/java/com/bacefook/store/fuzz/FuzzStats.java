package com.bacefook.store.fuzz;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts per RPC and status code, latencies per RPC, and broken expectations grouped by kind (RPC,
 * status and cause) with the first examples of each kind in full. Thread-safe.
 */
final class FuzzStats {
  private static final int EXAMPLES_PER_KIND = 2;

  private final Map<String, Map<Status.Code, LongAdder>> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> totalMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> maxMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failureKinds = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failureCount = new AtomicInteger();

  void record(String rpc, Status.Code code, long millis) {
    counts
        .computeIfAbsent(rpc, r -> new ConcurrentHashMap<>())
        .computeIfAbsent(code, c -> new LongAdder())
        .increment();
    totalMillis.computeIfAbsent(rpc, r -> new LongAdder()).add(millis);
    maxMillis.computeIfAbsent(rpc, r -> new AtomicLong()).accumulateAndGet(millis, Math::max);
  }

  /** Records a broken expectation of kind {@code kind}; keeps the first examples of each kind. */
  void fail(String kind, String example) {
    failureCount.incrementAndGet();
    if (failureKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet() <= EXAMPLES_PER_KIND) {
      examples.add(example);
    }
  }

  int failureCount() {
    return failureCount.get();
  }

  /** One line per kind of broken expectation, with how often it happened. */
  List<String> failureKinds() {
    List<String> kinds = new ArrayList<>();
    new TreeMap<>(failureKinds).forEach((kind, n) -> kinds.add(n.get() + " x " + kind));
    return kinds;
  }

  List<String> examples() {
    return new ArrayList<>(examples);
  }

  long total() {
    return counts.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToLong(LongAdder::sum)
        .sum();
  }

  /** A table: one line per RPC with its count, mean and max latency, and the count of each status. */
  String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("  %-15s %7s %8s %8s  %s%n", "rpc", "count", "mean ms", "max ms", "statuses"));
    new TreeMap<>(counts)
        .forEach(
            (rpc, byCode) -> {
              long total = byCode.values().stream().mapToLong(LongAdder::sum).sum();
              out.append(
                  String.format(
                      "  %-15s %7d %8.1f %8d ",
                      rpc, total, totalMillis.get(rpc).sum() / (double) total, maxMillis.get(rpc).get()));
              new TreeMap<>(byCode)
                  .forEach((code, n) -> out.append(' ').append(code).append('=').append(n.sum()));
              out.append('\n');
            });
    return out.toString();
  }
}
