package com.bacefook.store.testkit.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What a fuzzer saw: counts per request kind (an RPC, an HTTP endpoint) and answer status,
 * latencies per request kind, and broken expectations grouped by kind with the first examples of
 * each in full. Thread-safe; shared by the gRPC and the HTTP fuzzer.
 *
 * @param <S> the status of an answer (a gRPC code, an HTTP status)
 */
public final class FuzzStats<S extends Comparable<? super S>> {
  private static final int EXAMPLES_PER_KIND = 2;

  private final String column;
  private final int width;
  private final Function<S, String> label;
  private final Map<String, Map<S, LongAdder>> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> totalMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> maxMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failureKinds = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failureCount = new AtomicInteger();

  /**
   * Creates empty statistics whose table names request kinds under {@code column}, {@code width}
   * characters wide, and shows each status as {@code label} says.
   */
  public FuzzStats(String column, int width, Function<S, String> label) {
    this.column = column;
    this.width = width;
    this.label = label;
  }

  /** Counts an answer with {@code status} to a request of kind {@code what} that took {@code millis}. */
  public void record(String what, S status, long millis) {
    counts
        .computeIfAbsent(what, w -> new ConcurrentHashMap<>())
        .computeIfAbsent(status, s -> new LongAdder())
        .increment();
    totalMillis.computeIfAbsent(what, w -> new LongAdder()).add(millis);
    maxMillis.computeIfAbsent(what, w -> new AtomicLong()).accumulateAndGet(millis, Math::max);
  }

  /** Records a broken expectation of kind {@code kind}; keeps the first examples of each kind. */
  public void fail(String kind, String example) {
    failureCount.incrementAndGet();
    int seen = failureKinds.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    if (seen <= EXAMPLES_PER_KIND) {
      examples.add("[" + kind + "] " + example);
    }
  }

  /** Returns how many expectations were broken. */
  public int failureCount() {
    return failureCount.get();
  }

  /** One line per kind of broken expectation, with how often it happened. */
  public List<String> failureKinds() {
    List<String> kinds = new ArrayList<>();
    new TreeMap<>(failureKinds).forEach((kind, n) -> kinds.add(n.get() + " x " + kind));
    return kinds;
  }

  /** Returns the first examples of each kind of broken expectation, each prefixed by its kind. */
  public List<String> examples() {
    return new ArrayList<>(examples);
  }

  /** Returns how many answers were counted. */
  public long total() {
    return counts.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToLong(LongAdder::sum)
        .sum();
  }

  /**
   * A table: one line per request kind with its count, mean and max latency and the count of each
   * status, and a last line for all of them.
   */
  public String table() {
    String name = "  %-" + width + "s";
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(name + " %7s %8s %8s  %s%n", column, "count", "mean ms", "max ms", "statuses"));
    new TreeMap<>(counts)
        .forEach(
            (what, byStatus) -> {
              long total = byStatus.values().stream().mapToLong(LongAdder::sum).sum();
              out.append(
                  String.format(
                      name + " %7d %8.1f %8d ",
                      what,
                      total,
                      totalMillis.get(what).sum() / (double) total,
                      maxMillis.get(what).get()));
              new TreeMap<>(byStatus).forEach((status, n) -> appendCount(out, status, n.sum()));
              out.append('\n');
            });
    Map<S, Long> byStatus = new TreeMap<>();
    counts.values().forEach(m -> m.forEach((status, n) -> byStatus.merge(status, n.sum(), Long::sum)));
    out.append(String.format(name + " %7d  ", "all", total()));
    byStatus.forEach((status, n) -> appendCount(out, status, n));
    return out.append('\n').toString();
  }

  private void appendCount(StringBuilder out, S status, long n) {
    out.append(' ').append(label.apply(status)).append('=').append(n);
  }
}
