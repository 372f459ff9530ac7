package com.bacefook.store.bench;

import com.bacefook.store.sharding.KeyId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast a freshly started cluster gets up to speed: the bench first warms its own client on the
 * cluster it started (so that only the servers are cold), stops that cluster, starts a fresh one, and
 * measures each second of the fresh cluster's first window against a window after it has settled.
 */
@Command(
    name = "warmstart",
    mixinStandardHelpOptions = true,
    description = "Throughput of a freshly started cluster in its first seconds, as a share of its warm throughput.")
final class WarmStartCommand extends ScenarioCommand {
  private static final Duration PRELOAD_TIMEOUT = Duration.ofMinutes(5);

  @Option(names = "--clients", paramLabel = "N", description = "Client threads, one call each in flight (default: ${DEFAULT-VALUE}).")
  int clients = 64;

  @Option(names = "--value-bytes", paramLabel = "N", description = "Size of each value written (default: ${DEFAULT-VALUE}).")
  int valueBytes = 100;

  @Option(
      names = "--client-warmup",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Load on a first cluster that warms the bench's own client, then that cluster is stopped (default: 20s).")
  Duration clientWarmup = Duration.ofSeconds(20);

  @Option(
      names = "--first",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "The fresh cluster's first window, measured second by second (default: 10s).")
  Duration first = Duration.ofSeconds(10);

  @Option(
      names = "--settle",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Unmeasured load between the first window and the warm one (default: 30s).")
  Duration settle = Duration.ofSeconds(30);

  @Option(
      names = "--warm",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "The warm window the first one is compared with (default: 10s).")
  Duration warm = Duration.ofSeconds(10);

  /** One second of load: when it ended (seconds since the fresh cluster served) and its ops/s. */
  record Second(double at, double opsPerSecond) {}

  /** What the fresh cluster did: its first window by second, both windows, and the shares. */
  record Result(
      double secondsToServe,
      List<Second> firstSeconds,
      StepResult firstWindow,
      StepResult warmWindow,
      double firstShare,
      double bestSecondShare,
      double firstSecondAtSixtyPercent) {}

  @Override
  String scenario() {
    return "warmstart";
  }

  @Override
  int defaultServers() {
    return 2;
  }

  @Override
  void validate() {
    Checks.positive("--clients", clients, 4096);
    Checks.valueBytes(valueBytes);
    if (!clusterOptions.isLocal()) {
      throw new IllegalArgumentException("warmstart starts its own clusters: give --start-local [N]");
    }
    for (Duration d : List.of(first, warm)) {
      if (d.toMillis() < 1000) {
        throw new IllegalArgumentException("--first and --warm must be at least 1s");
      }
    }
  }

  @Override
  Outcome run(Cluster warmupCluster, RunContext context) {
    Progress progress = context.progress();
    OpMix mix = OpMix.parse("put=50,get=50");
    KeySpace keys = new KeySpace(KeyForm.USER, "k", KeyId.COUNT,
        IdDistribution.over(IdDistribution.Kind.UNIFORM, 0.99, context.seed()));
    List<String> notes = new ArrayList<>();

    int servers = warmupCluster.configuration().servers().size();
    preload(warmupCluster, keys, progress);
    LoadGenerator clientWarm = generator(warmupCluster, mix, keys, context.seed() - 1, clientWarmup);
    TimedStep.run(clientWarm, clientWarmup, Duration.ofMillis(1), progress, "warmstart client warm-up", List.of());
    warmupCluster.local().ifPresent(LocalCluster::close);
    progress.note("bench client warmed for %s; that cluster is stopped", DurationConverter.format(clientWarmup));

    long startNanos = System.nanoTime();
    try (Cluster fresh = clusterOptions.connect(context, servers, 0)) {
      preload(fresh, keys, progress);
      double secondsToServe = (System.nanoTime() - startNanos) / 1e9;
      List<Long> pids = fresh.startedPids();
      LoadGenerator load = generator(fresh, mix, keys, context.seed(), first.plus(settle).plus(warm));
      List<Second> seconds = new ArrayList<>();
      load.start();
      load.beginMeasuring();
      CpuAccounting.Snapshot cpuStart = CpuAccounting.take(pids);
      long windowStart = System.nanoTime();
      long next = windowStart;
      for (int s = 1; s <= first.toSeconds(); s++) {
        next += Clock.SECOND;
        Clock.parkUntil(next);
        LoadGenerator.Interval interval = load.takeInterval();
        seconds.add(new Second(secondsToServe + s, Math.round(interval.opsPerSecond())));
        progress.line("warmstart first    %4.0fs %11s ops/s  p99 %8s", secondsToServe + s,
            Tables.count(Math.round(interval.opsPerSecond())), Tables.millis(interval.latency().p99Us()));
      }
      StepResult firstWindow = load.finish().withCpu(cpuStart, CpuAccounting.take(pids));
      LoadGenerator later = generator(fresh, mix, keys, context.seed() + 1, settle.plus(warm));
      StepResult warmWindow = TimedStep.run(later, settle, warm, progress, "warmstart warm", pids);

      double warmOps = warmWindow.opsPerSecond();
      double best = seconds.stream().mapToDouble(Second::opsPerSecond).max().orElse(0);
      double reached =
          seconds.stream().filter(s -> s.opsPerSecond() >= 0.6 * warmOps).mapToDouble(Second::at).findFirst().orElse(-1);
      Result result =
          new Result(secondsToServe, seconds, firstWindow, warmWindow, share(firstWindow.opsPerSecond(), warmOps),
              share(best, warmOps), reached);
      notes.add("the first window starts when every range is served and the 1,001 user keys are preloaded ("
          + String.format(Locale.ROOT, "%.1f s", secondsToServe) + " after the fresh cluster's processes were started)");
      notes.add(Notes.CPU);

      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("clients", clients);
      parameters.put("valueBytes", valueBytes);
      parameters.put("clientWarmupSeconds", clientWarmup.toSeconds());
      parameters.put("firstSeconds", first.toSeconds());
      parameters.put("settleSeconds", settle.toSeconds());
      parameters.put("warmSeconds", warm.toSeconds());
      return new Outcome(parameters, result, table(result), notes);
    }
  }

  private LoadGenerator generator(Cluster cluster, OpMix mix, KeySpace keys, long seed, Duration length) {
    return new LoadGenerator(
        LoadTarget.store(cluster.store()), clients, 1, mix, keys::pick, valueBytes, seed, length.plusSeconds(60));
  }

  private void preload(Cluster cluster, KeySpace keys, Progress progress) {
    Preloader.Result preload =
        Preloader.load(cluster.store(), keys.size(), keys::keyAt, valueBytes, 8, PRELOAD_TIMEOUT, progress, "warmstart preload");
    if (preload.failures() > 0) {
      throw new IllegalStateException("the preload failed: " + preload.failed());
    }
  }

  private static double share(double part, double whole) {
    return whole <= 0 ? 0 : Math.round(1000 * part / whole) / 1000.0;
  }

  private String table(Result r) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "%d clients, 50/50 put/get of %d B values on 1,001 user keys; the bench's client warmed on another cluster first%n",
        clients, valueBytes));
    Tables seconds = new Tables("second after start", "ops/s", "share of warm");
    for (Second s : r.firstSeconds()) {
      seconds.row(String.format(Locale.ROOT, "%.0f", s.at()), Tables.count(Math.round(s.opsPerSecond())),
          percent(share(s.opsPerSecond(), r.warmWindow().opsPerSecond())));
    }
    out.append(seconds.render());
    out.append(String.format(Locale.ROOT,
        "first %ds: %s ops/s, server CPU %s µs/op; warm (after %ds more): %s ops/s, server CPU %s µs/op%n",
        first.toSeconds(), Tables.count(Math.round(r.firstWindow().opsPerSecond())), cpu(r.firstWindow()),
        settle.toSeconds(), Tables.count(Math.round(r.warmWindow().opsPerSecond())), cpu(r.warmWindow())));
    out.append(String.format(Locale.ROOT,
        "first window / warm: %s; best second / warm: %s; first second at >= 60%% of warm: %s%n",
        percent(r.firstShare()), percent(r.bestSecondShare()),
        r.firstSecondAtSixtyPercent() < 0 ? "not within the window" : String.format(Locale.ROOT, "%.0f s", r.firstSecondAtSixtyPercent())));
    return out.toString();
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * share);
  }

  private static String cpu(StepResult step) {
    return step.serverCpuUsPerOp() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", step.serverCpuUsPerOp());
  }
}
