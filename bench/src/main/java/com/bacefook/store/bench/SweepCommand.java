package com.bacefook.store.bench;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop load at each client count of a sweep, after preloading every key of the key space so that
 * Gets hit. {@code steady} expects 3 servers, {@code single} one.
 */
abstract class SweepCommand extends ScenarioCommand {
  private static final Duration PRELOAD_TIMEOUT = Duration.ofMinutes(30);

  @Option(names = "--clients", split = ",", paramLabel = "N", description = "Client counts of the sweep (default: 1,4,16,64).")
  List<Integer> clients = List.of(1, 4, 16, 64);

  @Option(
      names = "--mix",
      paramLabel = "OP=W,...",
      converter = OpMix.Converter.class,
      description = "Operation weights among get, put, append, delete (default: put=50,get=50).")
  OpMix mix = OpMix.parse("put=50,get=50");

  @Option(names = "--keys", paramLabel = "uniform|zipfian", description = "How key IDs are drawn (default: uniform).")
  IdDistribution.Kind distribution = IdDistribution.Kind.UNIFORM;

  @Option(names = "--zipf-exponent", paramLabel = "S", description = "Exponent of the Zipf law over the 1,001 IDs (default: ${DEFAULT-VALUE}).")
  double zipfExponent = 0.99;

  @Option(names = "--key-form", paramLabel = "user|post|generic", description = "Key shape: user_<id>, post_<id> or k_<id>_<seq> (default: generic).")
  KeyForm keyForm = KeyForm.GENERIC;

  @Option(
      names = "--keyspace",
      paramLabel = "N",
      description = "Distinct keys, spread evenly over the IDs and all preloaded (default: 10,010 generic keys, 1,001 user or post keys).")
  Long keyspace;

  @Option(names = "--value-bytes", paramLabel = "N", description = "Size of each value written (default: ${DEFAULT-VALUE}).")
  int valueBytes = 100;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, description = "Warm-up per step, not measured (default: 3s).")
  Duration warmup = Duration.ofSeconds(3);

  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, description = "Measured time per step (default: 10s).")
  Duration duration = Duration.ofSeconds(10);

  @Option(
      names = "--jit-warmup",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Unmeasured load at the largest client count before the sweep, so that freshly started JVMs (servers and"
              + " bench) have compiled their hot code before the first step; 0 skips it (default: 10s).")
  Duration jitWarmup = Duration.ofSeconds(10);

  @Option(names = "--preload-threads", paramLabel = "N", description = "Threads writing the preload (default: ${DEFAULT-VALUE}).")
  int preloadThreads = 8;

  @Option(
      names = "--inflight",
      paramLabel = "N",
      description =
          "Operations each client keeps in flight: 1 (default) waits for each reply; more drives the client"
              + " library asynchronously (getAsync/putAsync; get and put only).")
  int inflight = 1;

  @Option(
      names = "--redis",
      paramLabel = "HOST:PORT",
      description =
          "Drive this Redis instead of a store cluster, through Jedis with one connection per client (same"
              + " keys, values and closed loop; get/put/append/delete as GET/SET/APPEND/DEL).")
  String redis;

  @Option(
      names = "--redis-pid",
      paramLabel = "PID",
      description = "With --redis: the redis-server process, whose CPU time per operation each step reports.")
  Long redisPid;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description =
          "With --shardmaster: a server process whose CPU time per operation each step reports (repeat it for"
              + " each; bench floor prints its pid).")
  List<Long> serverPids = new ArrayList<>();

  @Option(names = "--no-preload", description = "Skip the preload (Gets of keys never written count as NOT_FOUND).")
  boolean noPreload;

  /** Servers the scenario is meant for; another count is reported, not refused. */
  abstract int expectedServers();

  @Override
  int defaultServers() {
    return expectedServers();
  }

  @Override
  void validate() {
    if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1 || c > 4096)) {
      throw new IllegalArgumentException("--clients takes counts in [1, 4096], got " + clients);
    }
    Checks.valueBytes(valueBytes);
    Checks.positive("--preload-threads", preloadThreads, 1024);
    Checks.positive("--inflight", inflight, 4096);
    if (inflight > 1 && (redis != null || mix.weights().keySet().stream().anyMatch(op -> op != Op.GET && op != Op.PUT))) {
      throw new IllegalArgumentException("--inflight above 1 drives the store with get and put only");
    }
    if (redis != null && clusterOptions.isLocal()) {
      throw new IllegalArgumentException("give --redis or --start-local, not both");
    }
    if (redisPid != null && redis == null) {
      throw new IllegalArgumentException("--redis-pid goes with --redis");
    }
    if (!serverPids.isEmpty() && (redis != null || clusterOptions.isLocal())) {
      throw new IllegalArgumentException("--server-pid goes with --shardmaster");
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--duration must be above 0");
    }
    if (keyspaceSize() < 1) {
      throw new IllegalArgumentException("--keyspace must be at least 1");
    }
    keySpace(0);
  }

  long keyspaceSize() {
    if (keyspace != null) {
      return keyspace;
    }
    return keyForm == KeyForm.GENERIC ? 10L * KeyId.COUNT : KeyId.COUNT;
  }

  KeySpace keySpace(long seed) {
    return new KeySpace(keyForm, "k", keyspaceSize(), IdDistribution.over(distribution, zipfExponent, seed));
  }

  @Override
  Optional<Results.ClusterInfo> otherTarget() {
    if (redis == null) {
      return Optional.empty();
    }
    return Optional.of(new Results.ClusterInfo("redis", redis, 0, List.of(redis), "", Map.of()));
  }

  @Override
  List<Long> serverPids(Cluster cluster) {
    if (redis != null) {
      return redisPid == null ? List.of() : List.of(redisPid);
    }
    return serverPids.isEmpty() ? super.serverPids(cluster) : List.copyOf(serverPids);
  }

  @Override
  Outcome run(Cluster cluster, RunContext context) {
    List<String> notes = new ArrayList<>();
    KeySpace keys = keySpace(context.seed());
    Progress progress = context.progress();
    Preloader.Result preload = null;
    LoadTarget target;
    if (redis != null) {
      RedisTarget redisTarget = new RedisTarget(redis);
      target = redisTarget;
      if (!noPreload) {
        double seconds = redisTarget.preload(keys.size(), keys::keyAt, valueBytes);
        preload = new Preloader.Result(keys.size(), seconds, Math.round(keys.size() / Math.max(1e-9, seconds)), Map.of());
        progress.note("preloaded %s keys of %d B into redis in %.1f s", Tables.count(keys.size()), valueBytes, seconds);
      }
    } else {
      target = LoadTarget.store(cluster.store());
      Configuration config = cluster.configuration();
      if (config.servers().size() != expectedServers()) {
        notes.add(scenario() + " is meant for " + expectedServers() + " server(s); this cluster has " + config.servers().size());
      }
    }
    List<Long> pids = serverPids(cluster);
    if (redis == null && !noPreload) {
      preload =
          Preloader.load(
              cluster.store(), keys.size(), keys::keyAt, valueBytes, preloadThreads, PRELOAD_TIMEOUT, progress, scenario() + " preload");
      progress.note(
          "preloaded %s keys of %d B in %.1f s (%s keys/s)%s",
          Tables.count(preload.keys()), valueBytes, preload.seconds(), Tables.count(Math.round(preload.keysPerSecond())),
          preload.failures() == 0 ? "" : "; failed: " + preload.failed());
      if (preload.failures() > 0) {
        notes.add("preload failures " + preload.failed() + ": some Gets will miss");
      }
    }
    if (!jitWarmup.isZero()) {
      int most = clients.stream().mapToInt(Integer::intValue).max().orElse(1);
      LoadGenerator warm =
          new LoadGenerator(target, most, inflight, mix, keys::pick, valueBytes, context.seed() - 1, jitWarmup.plusSeconds(60));
      StepResult warmed = TimedStep.run(warm, jitWarmup, Duration.ofMillis(1), progress, scenario() + " jit c=" + most, List.of());
      progress.note("JIT warm-up: %s at %d clients (not measured)", DurationConverter.format(jitWarmup), most);
      if (warmed.errorCount() > 0) {
        notes.add("errors during the JIT warm-up: " + warmed.errors());
      }
    }
    List<StepResult> steps = new ArrayList<>();
    String lastException = null;
    for (int n : clients) {
      LoadGenerator generator =
          new LoadGenerator(
              target, n, inflight, mix, keys::pick, valueBytes, context.seed() + n, warmup.plus(duration).plusSeconds(60));
      steps.add(TimedStep.run(generator, warmup, duration, progress, scenario() + " c=" + n, pids));
      if (generator.firstClientException() != null) {
        lastException = generator.firstClientException();
      }
    }
    if (lastException != null) {
      notes.add("a client call failed outside gRPC (counted as CLIENT_EXCEPTION): " + lastException);
    }
    notes.add(Notes.CLOSED_LOOP);
    notes.add(Notes.CPU);
    if (distribution == IdDistribution.Kind.ZIPFIAN) {
      notes.add(String.format(Locale.ROOT, "zipfian IDs (s=%.2f): the hottest ID gets %.1f%% of operations",
          zipfExponent, 100 * IdDistribution.over(distribution, zipfExponent, context.seed()).hottestShare()));
    }
    String table =
        String.format(
                Locale.ROOT,
                "%s, mix %s, %s %s keys (%s), %d B values, %s, JIT warm-up %s, then per step warmup %s, measured %s%n",
                redis == null ? "store" : "redis " + redis, mix, Tables.count(keys.size()), keyForm.name().toLowerCase(Locale.ROOT),
                distribution.name().toLowerCase(Locale.ROOT), valueBytes,
                inflight == 1 ? "1 request in flight per client" : inflight + " requests in flight per client (async)",
                DurationConverter.format(jitWarmup),
                DurationConverter.format(warmup), DurationConverter.format(duration))
            + Tables.sweep(steps);

    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("target", redis == null ? "store" : "redis");
    parameters.put("clients", clients);
    parameters.put("inflight", inflight);
    parameters.put("mix", mix.toString());
    parameters.put("keys", distribution.name().toLowerCase(Locale.ROOT));
    parameters.put("zipfExponent", zipfExponent);
    parameters.put("keyForm", keyForm.name().toLowerCase(Locale.ROOT));
    parameters.put("keyspace", keys.size());
    parameters.put("valueBytes", valueBytes);
    parameters.put("warmupSeconds", warmup.toMillis() / 1000.0);
    parameters.put("durationSeconds", duration.toMillis() / 1000.0);
    parameters.put("jitWarmupSeconds", jitWarmup.toMillis() / 1000.0);
    parameters.put("seed", context.seed());
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("preload", preload);
    results.put("steps", steps);
    return new Outcome(parameters, results, table, notes);
  }

  /** The sweep on three servers. */
  @Command(name = "steady", mixinStandardHelpOptions = true, description = "Closed-loop sweep over client counts on 3 servers.")
  static final class Steady extends SweepCommand {
    @Override
    String scenario() {
      return "steady";
    }

    @Override
    int expectedServers() {
      return 3;
    }
  }

  /** The sweep on one server. */
  @Command(name = "single", mixinStandardHelpOptions = true, description = "Closed-loop sweep over client counts on 1 server.")
  static final class Single extends SweepCommand {
    @Override
    String scenario() {
      return "single";
    }

    @Override
    int expectedServers() {
      return 1;
    }
  }
}
