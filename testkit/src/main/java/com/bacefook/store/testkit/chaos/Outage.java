package com.bacefook.store.testkit.chaos;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The longest stretch of a chaos run during which no operation on the keys of one configured range got a
 * definite answer: how long those keys were unanswerable, at most. Under member kills without
 * reconfiguration the ranges are fixed, so a range stands for the group that serves it. The clients
 * share their time among all keys, so a range's gap is bounded by the worst group's outage even if the
 * range's own group never stopped.
 *
 * @param range the range whose keys went unanswered
 * @param length how long
 * @param fromNanos when the stretch began ({@link System#nanoTime()})
 */
public record Outage(ShardRange range, Duration length, long fromNanos) {
  /** No stretch at all: no range had answered keys. */
  public static final Outage NONE = new Outage(new ShardRange(KeyId.MIN, KeyId.MIN), Duration.ZERO, 0);

  /**
   * Returns the longest stretch within [{@code fromNanos}, {@code toNanos}] between two answers (or an
   * end of that window and an answer) to operations on the keys of one of {@code config}'s ranges.
   * Operations with an unknown outcome are not answers; ranges no operation touched are left out.
   */
  public static Outage longest(
      List<Operation> history, Configuration config, long fromNanos, long toNanos) {
    Map<ShardRange, List<Long>> answers = new HashMap<>();
    for (Operation op : history) {
      if (op.isUnknown() || op.returnNanos() < fromNanos || op.returnNanos() > toNanos) {
        continue;
      }
      rangeOf(config, KeyId.of(op.key()))
          .ifPresent(range -> answers.computeIfAbsent(range, r -> new ArrayList<>()).add(op.returnNanos()));
    }
    Outage longest = NONE;
    for (Map.Entry<ShardRange, List<Long>> entry : answers.entrySet()) {
      List<Long> times = entry.getValue();
      times.sort(null);
      times.add(toNanos);
      long previous = fromNanos;
      for (long time : times) {
        if (time - previous > longest.length.toNanos()) {
          longest = new Outage(entry.getKey(), Duration.ofNanos(time - previous), previous);
        }
        previous = time;
      }
    }
    return longest;
  }

  private static Optional<ShardRange> rangeOf(Configuration config, int id) {
    return config.ownerOf(id).flatMap(owner -> config.rangesOf(owner).stream()
        .filter(range -> range.contains(id))
        .findFirst());
  }
}
