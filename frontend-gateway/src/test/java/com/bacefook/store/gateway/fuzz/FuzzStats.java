package com.bacefook.store.gateway.fuzz;

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
 * Counts per endpoint and HTTP status, latencies per endpoint, and broken expectations grouped by
 * kind with the first examples of each kind in full. Thread-safe.
 */
final class FuzzStats {
  /** The status counted for a request that got no answer (timeout or connection failure). */
  static final int NO_ANSWER = 0;

  private static final int EXAMPLES_PER_KIND = 2;

  private final Map<String, Map<Integer, LongAdder>> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> totalMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> maxMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failureKinds = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failureCount = new AtomicInteger();

  void record(String endpoint, int status, long millis) {
    counts
        .computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
        .computeIfAbsent(status, s -> new LongAdder())
        .increment();
    totalMillis.computeIfAbsent(endpoint, e -> new LongAdder()).add(millis);
    maxMillis.computeIfAbsent(endpoint, e -> new AtomicLong()).accumulateAndGet(millis, Math::max);
  }

  /** Records a broken expectation of kind {@code kind}; keeps the first examples of each kind. */
  void fail(String kind, String example) {
    failureCount.incrementAndGet();
    int seen = failureKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    if (seen <= EXAMPLES_PER_KIND) {
      examples.add("[" + kind + "] " + example);
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

  /** Returns how many answers had {@code status}, over every endpoint. */
  long withStatus(int status) {
    return counts.values().stream()
        .map(m -> m.get(status))
        .filter(n -> n != null)
        .mapToLong(LongAdder::sum)
        .sum();
  }

  /**
   * A table: one line per endpoint with its count, mean and max latency, and the count of each
   * status ({@code none}: no answer).
   */
  String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "  %-30s %6s %8s %8s  %s%n", "endpoint", "count", "mean ms", "max ms", "statuses"));
    new TreeMap<>(counts)
        .forEach(
            (endpoint, byStatus) -> {
              long total = byStatus.values().stream().mapToLong(LongAdder::sum).sum();
              out.append(
                  String.format(
                      "  %-30s %6d %8.1f %8d ",
                      endpoint,
                      total,
                      totalMillis.get(endpoint).sum() / (double) total,
                      maxMillis.get(endpoint).get()));
              new TreeMap<>(byStatus)
                  .forEach(
                      (status, n) ->
                          out.append(' ')
                              .append(status == NO_ANSWER ? "none" : status)
                              .append('=')
                              .append(n.sum()));
              out.append('\n');
            });
    Map<Integer, Long> byStatus = new TreeMap<>();
    counts
        .values()
        .forEach(m -> m.forEach((status, n) -> byStatus.merge(status, n.sum(), Long::sum)));
    out.append(String.format("  %-30s %6d  ", "all", total()));
    byStatus.forEach(
        (status, n) ->
            out.append(' ').append(status == NO_ANSWER ? "none" : status).append('=').append(n));
    return out.append('\n').toString();
  }
}
