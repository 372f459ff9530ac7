package com.bacefook.store.testkit.chaos;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a chaos run that keeps changing the configuration: every period (with jitter) it joins
 * a server (rejoining one that left, or starting a new one), makes one or two leave, or moves a random
 * range, always keeping at least {@code minJoined} servers. It notes when each change happened.
 */
final class Reconfigurer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Reconfigurer.class);
  private static final int MAX_MOVE = 200;

  private final MiniCluster cluster;
  private final ShardmasterClient shardmaster;
  private final Random random;
  private final long startNanos;
  private final long endNanos;
  private final Duration period;
  private final Duration settle;
  private final int minJoined;
  private final int maxServers;
  private final List<Window> windows = new ArrayList<>();
  private int joins;
  private int leaves;
  private int moves;
  private int rejected;
  private int started;

  /**
   * Changes the configuration of {@code cluster} between {@code startNanos} and {@code endNanos}; each
   * change's window lasts from its request until {@code settle} after the shardmaster answered.
   */
  Reconfigurer(
      MiniCluster cluster,
      long seed,
      long startNanos,
      long endNanos,
      Duration period,
      Duration settle,
      int minJoined,
      int maxServers) {
    this.cluster = cluster;
    this.shardmaster = cluster.shardmasterClient();
    this.random = new Random(seed);
    this.startNanos = startNanos;
    this.endNanos = endNanos;
    this.period = period;
    this.settle = settle;
    this.minJoined = minJoined;
    this.maxServers = maxServers;
  }

  @Override
  public void run() {
    Pacing.until(startNanos);
    while (System.nanoTime() < endNanos && !Thread.currentThread().isInterrupted()) {
      long before = System.nanoTime();
      try {
        change(shardmaster.query());
      } catch (StatusRuntimeException e) {
        rejected++;
        log.info("chaos: configuration change failed: {}", e.getStatus());
      }
      windows.add(new Window(before, System.nanoTime() + settle.toNanos()));
      long jitter = (long) (period.toNanos() * (0.5 + random.nextDouble()));
      Pacing.until(Math.min(endNanos, System.nanoTime() + jitter));
    }
  }

  private void change(Configuration config) {
    List<String> joined = config.serverNames();
    int dice = random.nextInt(100);
    if (dice < 30 && joined.size() > minJoined) {
      leave(joined);
    } else if (dice < 60) {
      join(joined);
    } else {
      move(joined);
    }
  }

  private void leave(List<String> joined) {
    List<String> pool = new ArrayList<>(joined);
    List<String> leaving = new ArrayList<>();
    int count = joined.size() > minJoined + 1 && random.nextInt(4) == 0 ? 2 : 1;
    for (int i = 0; i < count; i++) {
      leaving.add(pool.remove(random.nextInt(pool.size())));
    }
    shardmaster.leave(leaving);
    leaves += leaving.size();
    log.info("chaos: {} left", leaving);
  }

  private void join(List<String> joined) {
    List<String> idle = new ArrayList<>(cluster.serverNames());
    idle.removeAll(joined);
    String server;
    if (!idle.isEmpty()) {
      server = idle.get(random.nextInt(idle.size()));
    } else if (cluster.serverNames().size() < maxServers) {
      server = cluster.startServer();
      started++;
    } else {
      move(joined);
      return;
    }
    shardmaster.join(server);
    joins++;
    log.info("chaos: {} joined", server);
  }

  private void move(List<String> joined) {
    if (joined.isEmpty()) {
      return;
    }
    String server = joined.get(random.nextInt(joined.size()));
    int lower = random.nextInt(KeyId.COUNT);
    int upper = Math.min(KeyId.MAX, lower + random.nextInt(MAX_MOVE));
    ShardRange range = new ShardRange(lower, upper);
    shardmaster.move(server, range);
    moves++;
    log.info("chaos: {} moved to {}", range, server);
  }

  /** A stretch of time ({@link System#nanoTime()}) during which a change was under way. */
  record Window(long startNanos, long endNanos) {}

  /** Returns the windows during which a change was under way, in time order. */
  List<Window> windows() {
    return windows;
  }

  /** Returns what it did. */
  Reconfigurations counts() {
    return new Reconfigurations(joins, leaves, moves, rejected, started);
  }
}
