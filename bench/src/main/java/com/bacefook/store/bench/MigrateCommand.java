package com.bacefook.store.bench;

import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
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
 * A range move under load: preload keys, measure Gets, join one more server, and time until the new
 * owner serves the keys it gained, while Gets of keys that do not move keep running. Then every moved
 * key is read back from the new owner.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Preload keys, join one more server and time the handoff (keys/s, MB/s), with Get latency of unmoved"
            + " keys before and during the move.")
final class MigrateCommand extends ScenarioCommand {
  private static final Duration PRELOAD_TIMEOUT = Duration.ofMinutes(60);

  @Option(names = "--preload-keys", paramLabel = "N", description = "Generic keys m_<id>_<seq> written before the move (default: 1,000,000).")
  long preloadKeys = 1_000_000;

  @Option(names = "--value-bytes", paramLabel = "N", description = "Size of each value (default: ${DEFAULT-VALUE}).")
  int valueBytes = 100;

  @Option(names = "--preload-threads", paramLabel = "N", description = "Threads writing the preload (default: ${DEFAULT-VALUE}).")
  int preloadThreads = 8;

  @Option(names = "--load-clients", paramLabel = "N", description = "Clients issuing Gets before and during the move (default: ${DEFAULT-VALUE}).")
  int loadClients = 4;

  @Option(names = "--baseline", paramLabel = "DURATION", converter = DurationConverter.class, description = "Measured Gets before the move, after 1s of warm-up (default: 3s).")
  Duration baseline = Duration.ofSeconds(3);

  @Option(names = "--join", paramLabel = "HOST:PORT", description = "With --shardmaster: the running, not yet joined server to join.")
  String join;

  @Option(names = "--pollers", paramLabel = "N", description = "Threads polling one key per moved ID until the new owner serves it (default: ${DEFAULT-VALUE}).")
  int pollers = 4;

  @Option(names = "--verify-threads", paramLabel = "N", description = "Threads reading every moved key back afterwards (default: ${DEFAULT-VALUE}).")
  int verifyThreads = 32;

  @Option(names = "--no-verify", description = "Skip reading every moved key back.")
  boolean noVerify;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, description = "Give up on the move after this long (default: 10m).")
  Duration timeout = Duration.ofMinutes(10);

  @Override
  String scenario() {
    return "migrate";
  }

  @Override
  int defaultServers() {
    return 2;
  }

  @Override
  int unjoinedServers() {
    return 1;
  }

  @Override
  void validate() {
    Checks.positive("--preload-keys", preloadKeys, 100_000_000);
    Checks.valueBytes(valueBytes);
    Checks.positive("--preload-threads", preloadThreads, 1024);
    Checks.positive("--load-clients", loadClients, 1024);
    Checks.positive("--pollers", pollers, 256);
    Checks.positive("--verify-threads", verifyThreads, 1024);
    if (clusterOptions.isLocal() && join != null) {
      throw new IllegalArgumentException("--join is for --shardmaster; with --start-local the last server started joins");
    }
    if (!clusterOptions.isLocal() && join == null) {
      throw new IllegalArgumentException("with --shardmaster, name the server to join with --join HOST:PORT");
    }
  }

  @Override
  Outcome run(Cluster cluster, RunContext context) {
    Progress progress = context.progress();
    List<String> notes = new ArrayList<>();
    String newcomer =
        cluster.local().map(local -> local.shardkvNames().get(local.shardkvNames().size() - 1)).orElse(join);
    Configuration before = cluster.configuration();
    if (before.servers().isEmpty()) {
      throw new IllegalStateException("the cluster has no server to move keys from: join one first");
    }
    if (before.contains(newcomer)) {
      throw new IllegalArgumentException(newcomer + " is already part of configuration #" + before.number());
    }
    KeySpace all = new KeySpace(KeyForm.GENERIC, "m", preloadKeys, IdDistribution.over(IdDistribution.Kind.UNIFORM, 0, context.seed()));

    Preloader.Result preload =
        Preloader.load(cluster.store(), all.size(), all::keyAt, valueBytes, preloadThreads, PRELOAD_TIMEOUT, progress, "migrate preload");
    progress.note(
        "preloaded %s keys of %d B in %.1f s (%s keys/s)", Tables.count(preload.keys()), valueBytes, preload.seconds(),
        Tables.count(Math.round(preload.keysPerSecond())));
    if (preload.failures() > 0) {
      throw new IllegalStateException("the preload failed for some keys: " + preload.failed());
    }

    OpMix gets = OpMix.parse("get=1");
    StepResult baselineStep =
        TimedStep.run(
            new LoadGenerator(LoadTarget.store(cluster.store()), loadClients, 1, gets, all::pick, valueBytes, context.seed(), baseline.plusSeconds(61)),
            Duration.ofSeconds(1), baseline, progress, "migrate baseline", cluster.startedPids());

    // The move: join, then learn the configuration it made.
    long joinStart = System.nanoTime();
    cluster.shardmaster().join(newcomer);
    Configuration after = cluster.store().refreshConfiguration();
    if (!after.contains(newcomer)) {
      throw new IllegalStateException("configuration #" + after.number() + " after the join does not list " + newcomer);
    }
    List<Integer> moved = new ArrayList<>();
    List<Integer> unmoved = new ArrayList<>();
    for (int id = KeyId.MIN; id <= KeyId.MAX; id++) {
      Optional<String> was = before.ownerOf(id);
      Optional<String> is = after.ownerOf(id);
      (is.equals(was) ? unmoved : moved).add(id);
      if (!is.equals(was) && !is.equals(Optional.of(newcomer))) {
        notes.add("ID " + id + " moved from " + was.orElse("nobody") + " to " + is.orElse("nobody") + ", not to " + newcomer);
      }
    }
    long movedKeys = 0;
    long movedBytes = 0;
    List<String> samples = new ArrayList<>();
    for (int id : moved) {
      long n = all.keysWithId(id);
      movedKeys += n;
      movedBytes += n * valueBytes + keyBytes(id, n);
      if (n > 0) {
        samples.add(all.key(id, 0));
      }
    }
    progress.note(
        "joined %s: configuration #%d moves %d IDs (%s keys, %.1f MB) to it: %s",
        newcomer, after.number(), moved.size(), Tables.count(movedKeys), movedBytes / 1e6, after.rangesOf(newcomer));

    // Gets of keys that stay where they are, for as long as the move lasts.
    LoadGenerator during = null;
    CpuAccounting.Snapshot duringCpu = null;
    if (!unmoved.isEmpty()) {
      KeySpace stay =
          new KeySpace(
              KeyForm.GENERIC, "m", preloadKeys,
              IdDistribution.over(unmoved.stream().mapToInt(Integer::intValue).toArray(), IdDistribution.Kind.UNIFORM, 0, context.seed()));
      during = new LoadGenerator(LoadTarget.store(cluster.store()), loadClients, 1, gets, stay::pick, valueBytes, context.seed() + 1, timeout.plusSeconds(60));
      during.start();
      during.beginMeasuring();
      duringCpu = CpuAccounting.take(cluster.startedPids());
    } else {
      notes.add("every ID moved: no unaffected keys to measure Gets on during the move");
    }

    MovePoller.Outcome served;
    try (ChannelPool pollChannels = new ChannelPool()) {
      // One try per call, so each poller notices the handoff within its own short pause.
      ShardmasterConfigurationSource configs = new ShardmasterConfigurationSource(cluster.shardmaster());
      configs.refresh();
      StoreClient pollClient = new StoreClient(configs, pollChannels, Duration.ofMillis(1), Duration.ofSeconds(5));
      served =
          MovePoller.awaitServed(
              pollClient, samples, newcomer, key -> Values.forKey(key, valueBytes), pollers, joinStart,
              joinStart + timeout.toNanos(), progress, during);
    }
    StepResult duringStep = null;
    if (during != null) {
      CpuAccounting.Snapshot duringEnd = CpuAccounting.take(cluster.startedPids());
      duringStep = during.finish().withCpu(duringCpu, duringEnd);
    }
    if (served.notFoundAnswers() > 0) {
      notes.add(String.format(Locale.ROOT,
          "while the keys were moving, %d Gets of moved keys were answered NOT_FOUND (first %.1f s after the join):"
              + " a server served the range before its keys arrived (for example after its handoff timeout)",
          served.notFoundAnswers(), served.firstNotFoundSeconds()));
    }
    if (!served.complete()) {
      notes.add("the move did not finish within " + DurationConverter.format(timeout) + ": " + served.pending() + " IDs not served yet");
    }
    double servedSeconds = served.seconds();
    progress.note(
        "new owner serves every moved ID after %.2f s (%s keys/s, %.1f MB/s)",
        servedSeconds, Tables.count(Math.round(movedKeys / servedSeconds)), movedBytes / 1e6 / servedSeconds);

    MovePoller.Verification verification = null;
    if (!noVerify && served.complete() && movedKeys > 0) {
      List<String> movedKeyList = new ArrayList<>();
      for (int id : moved) {
        for (long seq = 0; seq < all.keysWithId(id); seq++) {
          movedKeyList.add(all.key(id, seq));
        }
      }
      verification =
          MovePoller.verifyAll(cluster.store(), movedKeyList, newcomer, key -> Values.forKey(key, valueBytes), verifyThreads,
              joinStart, System.nanoTime() + timeout.toNanos(), progress);
      if (verification.missing() > 0 || verification.wrong() > 0) {
        notes.add("after the move " + verification.missing() + " moved keys were missing and " + verification.wrong()
            + " had a wrong value or owner");
      }
    }

    Map<String, Object> move = new LinkedHashMap<>();
    move.put("newcomer", newcomer);
    move.put("configBefore", before.number());
    move.put("configAfter", after.number());
    move.put("movedIds", moved.size());
    move.put("movedRanges", after.rangesOf(newcomer).stream().map(Object::toString).toList());
    move.put("movedKeys", movedKeys);
    move.put("movedBytes", movedBytes);
    move.put("complete", served.complete());
    move.put("servedAfterSeconds", round3(servedSeconds));
    move.put("keysPerSecond", Math.round(movedKeys / servedSeconds));
    move.put("megabytesPerSecond", round3(movedBytes / 1e6 / servedSeconds));
    move.put("pollIntervalMillis", MovePoller.POLL_MILLIS);
    move.put("notFoundAnswersWhileMoving", served.notFoundAnswers());
    move.put("firstNotFoundAfterSeconds", served.firstNotFoundSeconds());
    move.put("verification", verification);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("preload", preload);
    results.put("move", move);
    results.put("getsBefore", baselineStep);
    results.put("unmovedGetsDuring", duringStep);

    Tables table = new Tables("migrate", "").leftAligned();
    table.row("preloaded keys (value bytes)", Tables.count(preload.keys()) + " (" + valueBytes + " B)");
    table.row("preload rate", Tables.count(Math.round(preload.keysPerSecond())) + " keys/s");
    table.row("moved to " + newcomer, moved.size() + " IDs, " + Tables.count(movedKeys) + " keys, " + Tables.fixed(movedBytes / 1e6, 1) + " MB");
    table.row("new owner serves all moved IDs after", Tables.fixed(servedSeconds, 2) + " s" + (served.complete() ? "" : " (INCOMPLETE)"));
    if (served.notFoundAnswers() > 0) {
      table.row("Gets of moved keys answered NOT_FOUND", served.notFoundAnswers() + " (from " + Tables.fixed(served.firstNotFoundSeconds(), 1) + " s after the join)");
    }
    table.row("handoff rate", Tables.count(Math.round(movedKeys / servedSeconds)) + " keys/s, " + Tables.fixed(movedBytes / 1e6 / servedSeconds, 1) + " MB/s");
    if (verification != null) {
      table.row("every moved key read back after", Tables.fixed(verification.seconds(), 2) + " s from the join ("
          + Tables.count(verification.checked()) + " keys, " + verification.missing() + " missing, " + verification.wrong() + " wrong)");
    }
    String latency =
        new Tables("Gets (" + loadClients + " clients)", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "CPU ours/other")
            .row("before the move, all keys", Tables.count(Math.round(baselineStep.opsPerSecond())), Tables.millis(baselineStep.latency().p50Us()),
                Tables.millis(baselineStep.latency().p99Us()), Tables.millis(baselineStep.latency().p999Us()),
                Tables.millis(baselineStep.latency().maxUs()), Tables.errors(baselineStep.errors()), Tables.cpu(baselineStep.cpu()))
            .row("during the move, unmoved keys",
                duringStep == null ? "-" : Tables.count(Math.round(duringStep.opsPerSecond())),
                duringStep == null ? "-" : Tables.millis(duringStep.latency().p50Us()),
                duringStep == null ? "-" : Tables.millis(duringStep.latency().p99Us()),
                duringStep == null ? "-" : Tables.millis(duringStep.latency().p999Us()),
                duringStep == null ? "-" : Tables.millis(duringStep.latency().maxUs()),
                duringStep == null ? "-" : Tables.errors(duringStep.errors()),
                duringStep == null ? "-" : Tables.cpu(duringStep.cpu()))
            .render();
    notes.add("the move is timed from the Join call until a Get of one key of every moved ID is answered by the new owner"
        + " with the preloaded value (polled every " + MovePoller.POLL_MILLIS + " ms); a handoff installs all keys of its"
        + " ranges at once, and the read-back of every moved key confirms it");
    notes.add(Notes.CLOSED_LOOP);
    notes.add(Notes.CPU);

    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("preloadKeys", preloadKeys);
    parameters.put("valueBytes", valueBytes);
    parameters.put("preloadThreads", preloadThreads);
    parameters.put("loadClients", loadClients);
    parameters.put("baselineSeconds", baseline.toMillis() / 1000.0);
    parameters.put("pollers", pollers);
    parameters.put("verify", !noVerify);
    parameters.put("seed", context.seed());
    return new Outcome(parameters, results, table.render() + "\n" + latency, notes);
  }

  /** Bytes of the key names {@code m_<id>_0 .. m_<id>_<n-1>}. */
  static long keyBytes(int id, long n) {
    long bytes = (3 + Integer.toString(id).length()) * n; // "m_" + id + "_"
    long low = 0;
    for (int digits = 1; low < n; digits++) {
      long high = Math.min(n, low == 0 ? 10 : low * 10); // sequence numbers [low, high) have `digits` digits
      bytes += digits * (high - low);
      low = high;
    }
    return bytes;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
