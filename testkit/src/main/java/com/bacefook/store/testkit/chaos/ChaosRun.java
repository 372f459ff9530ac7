package com.bacefook.store.testkit.chaos;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.history.CheckResult;
import com.bacefook.store.testkit.history.HistoryRecorder;
import com.bacefook.store.testkit.history.LinearizabilityChecker;
import com.bacefook.store.testkit.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a chaos run against a started {@link MiniCluster} with servers already joined: client threads
 * issue random reads and writes on a few hundred keys while another thread joins, removes and moves
 * servers every {@link #reconfigurationEvery period}; then each client reads its share of the keys
 * once more, and the recorded history is checked for linearizability.
 *
 * <pre>{@code
 * ChaosReport report = ChaosRun.on(cluster).duration(Duration.ofSeconds(30)).run();
 * assertThat(report.check().violations()).isEmpty();
 * }</pre>
 *
 * <p>Every loop ends by a deadline: the workload after {@link #duration}, each operation by the client's
 * deadlines, the final sweep after {@link #SWEEP_TIME}. Configure, then call {@link #run} once.
 */
public final class ChaosRun {
  /** How long the final read sweep may take at most. */
  public static final Duration SWEEP_TIME = Duration.ofSeconds(10);

  private static final Duration OPERATION_DEADLINE = Duration.ofSeconds(5);
  private static final Duration RPC_DEADLINE = Duration.ofSeconds(2);
  private static final Duration MAX_WARM_UP = Duration.ofSeconds(2);
  private static final int MIN_JOINED = 2;

  /** The in-process cluster, whose configuration the run may change; null for processes. */
  private final MiniCluster cluster;
  private final ShardmasterClient shardmaster;
  private final ClientFactory clientFactory;
  private final MemberControl members;
  private Duration duration = Duration.ofSeconds(30);
  private int clients = 16;
  private int keys = 300;
  private Duration period = Duration.ofMillis(200);
  private Duration settle = Duration.ofMillis(150);
  private int maxServers = 8;
  private long seed = 1;
  private LinearizabilityChecker checker = new LinearizabilityChecker();
  private boolean reconfigure = true;
  private List<String> killedGroups = List.of();
  private Duration killEvery = Duration.ofSeconds(6);
  private Duration downTime = Duration.ofSeconds(3);

  private ChaosRun(
      MiniCluster cluster,
      ShardmasterClient shardmaster,
      ClientFactory clientFactory,
      MemberControl members) {
    this.cluster = cluster;
    this.shardmaster = shardmaster;
    this.clientFactory = clientFactory;
    this.members = members;
  }

  /** Makes a routing client with the given deadlines per operation and per RPC. */
  @FunctionalInterface
  public interface ClientFactory {
    /** Returns a new client. */
    StoreClient newClient(Duration operationDeadline, Duration rpcDeadline);
  }

  /** Returns a run against {@code cluster}, with defaults: 30 s, 16 clients, 300 keys, 200 ms period. */
  public static ChaosRun on(MiniCluster cluster) {
    return new ChaosRun(
        cluster, cluster.shardmasterClient(), cluster::newStoreClient, MemberControl.of(cluster));
  }

  /**
   * Returns a run against a cluster of separate processes, reached through {@code shardmaster} and
   * clients from {@code clients}, whose replica group members {@code members} stops: it changes no
   * configuration (as {@link #withoutReconfiguration}); give it {@link #memberKills}.
   */
  public static ChaosRun onProcesses(
      ShardmasterClient shardmaster, ClientFactory clients, MemberControl members) {
    return new ChaosRun(null, shardmaster, clients, members).withoutReconfiguration();
  }

  /** Sets how long the workload runs. */
  public ChaosRun duration(Duration duration) {
    this.duration = positive(duration, "duration");
    return this;
  }

  /** Sets how many client threads issue operations. */
  public ChaosRun clients(int clients) {
    this.clients = atLeast(1, clients, "clients");
    return this;
  }

  /** Sets how many keys the clients use (at most 1001 of each kind). */
  public ChaosRun keys(int keys) {
    this.keys = atLeast(1, keys, "keys");
    return this;
  }

  /** Sets the mean pause between configuration changes (each pause is 50% to 150% of it). */
  public ChaosRun reconfigurationEvery(Duration period) {
    this.period = positive(period, "period");
    return this;
  }

  /** Makes the run change no configuration (the kills, if any, are then the only faults). */
  public ChaosRun withoutReconfiguration() {
    this.reconfigure = false;
    return this;
  }

  /**
   * Makes the run stop a member of one of {@code groups} (replica groups of the cluster, or {@link
   * MemberControl#SHARDMASTER} for a replicated shardmaster's members; in turn) every {@code every} and
   * start it again {@code downTime} later: each group's leader first, then followers; the second member
   * stopped comes back with an empty data directory.
   */
  public ChaosRun memberKills(List<String> groups, Duration every, Duration downTime) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("member kills need at least one group");
    }
    this.killedGroups = List.copyOf(groups);
    this.killEvery = positive(every, "every");
    this.downTime = positive(downTime, "downTime");
    if (downTime.compareTo(every) >= 0) {
      throw new IllegalArgumentException("a member must be back (" + downTime + ") before the next kill (" + every + ")");
    }
    return this;
  }

  /** Sets how long after the shardmaster answers a change still counts as under way, for latencies. */
  public ChaosRun settleTime(Duration settle) {
    this.settle = settle;
    return this;
  }

  /** Sets how many shardkv servers the cluster may run at most (joined or not). */
  public ChaosRun maxServers(int maxServers) {
    this.maxServers = atLeast(MIN_JOINED, maxServers, "maxServers");
    return this;
  }

  /** Sets the seed of every random choice (timing still varies from run to run). */
  public ChaosRun seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Sets the checker the history goes through. */
  public ChaosRun checker(LinearizabilityChecker checker) {
    this.checker = checker;
    return this;
  }

  /**
   * Runs the workload and checks its history.
   *
   * @throws IllegalStateException if fewer than 2 servers are joined, or a thread outlives its deadline
   */
  public ChaosReport run() {
    int joined = shardmaster.query().serverNames().size();
    if (joined < MIN_JOINED) {
      throw new IllegalStateException(
          "a chaos run needs at least " + MIN_JOINED + " joined servers; " + joined + " are joined");
    }
    Random random = new Random(seed);
    KeySpace space = KeySpace.random(keys, random);
    HistoryRecorder recorder = new HistoryRecorder();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long warmUp = Math.min(duration.toNanos() / 10, MAX_WARM_UP.toNanos());
    long sweepEnd = end + OPERATION_DEADLINE.toNanos() + SWEEP_TIME.toNanos();
    List<Runnable> faults = new ArrayList<>();
    long reconfigurerSeed = random.nextLong();
    Reconfigurer reconfigurer =
        reconfigure
            ? new Reconfigurer(
                cluster, reconfigurerSeed, start + warmUp, end, period, settle, MIN_JOINED, maxServers)
            : null;
    if (reconfigurer != null) {
      faults.add(reconfigurer);
    }
    MemberKiller killer =
        new MemberKiller(members, killedGroups, start + warmUp, end, killEvery, downTime);
    if (!killedGroups.isEmpty()) {
      faults.add(killer);
    }
    List<ClientWorkload> workloads = new ArrayList<>();
    for (int id = 0; id < clients; id++) {
      workloads.add(
          new ClientWorkload(
              recorder.client(id, clientFactory.newClient(OPERATION_DEADLINE, RPC_DEADLINE)),
              space,
              random.nextLong(),
              end,
              share(space.keys(), id, clients),
              sweepEnd));
    }
    runAll(faults, workloads, sweepEnd);
    List<Operation> history = recorder.history();
    Outage outage = Outage.longest(history, shardmaster.query(), start + warmUp, end);
    CheckResult check = checker.check(history);
    int failed = workloads.stream().mapToInt(ClientWorkload::failed).sum();
    List<Reconfigurer.Window> windows = reconfigurer == null ? List.of() : reconfigurer.windows();
    return new ChaosReport(
        duration,
        clients,
        space.keys().size(),
        history.size(),
        countByKind(history),
        (int) history.stream().filter(Operation::isUnknown).count(),
        failed,
        reconfigurer == null ? new Reconfigurations(0, 0, 0, 0, 0) : reconfigurer.counts(),
        killer.kills(),
        outage,
        LatencySummary.of(latencies(history, windows, true)),
        LatencySummary.of(latencies(history, windows, false)),
        check,
        history);
  }

  private void runAll(List<Runnable> faults, List<ClientWorkload> workloads, long sweepEnd) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workloads.size() + faults.size(),
            r -> {
              Thread thread = new Thread(r, "chaos-" + threads.getAndIncrement());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Runnable fault : faults) {
        running.add(pool.submit(fault));
      }
      for (ClientWorkload workload : workloads) {
        running.add(
            pool.submit(
                () -> {
                  workload.run();
                  workload.sweep();
                }));
      }
      // Every operation ends by its deadline, so every thread ends soon after the sweep's.
      long limit = sweepEnd + 2 * OPERATION_DEADLINE.toNanos();
      for (Future<?> future : running) {
        future.get(Math.max(0, limit - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("a chaos thread outlived its deadline", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a chaos thread failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the chaos threads", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Returns the keys client {@code id} of {@code clients} reads in the final sweep. */
  private static List<String> share(List<String> keys, int id, int clients) {
    List<String> mine = new ArrayList<>();
    for (int i = id; i < keys.size(); i += clients) {
      mine.add(keys.get(i));
    }
    return mine;
  }

  private static Map<Operation.Kind, Integer> countByKind(List<Operation> history) {
    Map<Operation.Kind, Integer> counts = new EnumMap<>(Operation.Kind.class);
    for (Operation op : history) {
      counts.merge(op.kind(), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Returns the latencies of the operations invoked inside ({@code inside}) or outside the windows.
   * The history is in invocation order and the windows in time order, so one pass suffices.
   */
  private static long[] latencies(
      List<Operation> history, List<Reconfigurer.Window> windows, boolean inside) {
    long[] result = new long[history.size()];
    int count = 0;
    int w = 0;
    for (Operation op : history) {
      long t = op.invokeNanos();
      while (w < windows.size() && windows.get(w).endNanos() < t) {
        w++;
      }
      boolean during = w < windows.size() && windows.get(w).startNanos() <= t;
      if (during == inside) {
        result[count++] = op.returnNanos() - op.invokeNanos();
      }
    }
    return Arrays.copyOf(result, count);
  }

  private static Duration positive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static int atLeast(int min, int value, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
    return value;
  }
}
