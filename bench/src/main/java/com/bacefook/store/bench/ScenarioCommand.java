package com.bacefook.store.bench;

import com.bacefook.store.sharding.Configuration;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * What every scenario does around its own measurement: connect (or start a local cluster), run, print
 * the table on stdout, write the results JSON, and stop whatever it started, even when it fails.
 */
abstract class ScenarioCommand implements Callable<Integer> {
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  @Mixin ClusterOptions clusterOptions;
  @Mixin OutputOptions outputOptions;

  /** What a scenario measured. */
  record Outcome(Map<String, Object> parameters, Object results, String table, List<String> notes) {}

  abstract String scenario();

  /** Servers of a local cluster unless {@code --start-local N} says otherwise. */
  abstract int defaultServers();

  /** How many of the local cluster's last servers are left unjoined for the scenario to join. */
  int unjoinedServers() {
    return 0;
  }

  /** Checks the scenario's own options before anything starts; throws IllegalArgumentException. */
  void validate() {}

  abstract Outcome run(Cluster cluster, RunContext context) throws Exception;

  /**
   * A target other than a store cluster (Redis), described for the results file; or empty, the usual
   * case, when the scenario drives the cluster {@link #run} gets (which is null otherwise).
   */
  Optional<Results.ClusterInfo> otherTarget() {
    return Optional.empty();
  }

  /** The processes whose CPU counts as ours beside this JVM's. */
  List<Long> serverPids(Cluster cluster) {
    return cluster.startedPids();
  }

  @Override
  public Integer call() {
    ZonedDateTime now = ZonedDateTime.now();
    String loadAtStart = Results.loadAverage();
    Path repo = Repo.locate(clusterOptions.repo);
    String runId = scenario() + "-" + RUN_ID.format(now);
    Path resultsDir =
        outputOptions.resultsDir != null ? outputOptions.resultsDir : repo.resolve("bench/target/results");
    Progress progress = new Progress(System.err, !outputOptions.noProgress);
    RunContext context =
        new RunContext(scenario(), repo, now, runId, resultsDir, resultsDir.resolve("logs").resolve(runId), progress, outputOptions.seed);
    try {
      validate();
    } catch (IllegalArgumentException e) {
      System.err.println("bench " + scenario() + ": " + e.getMessage());
      return 2;
    }
    Optional<Results.ClusterInfo> other = otherTarget();
    try (Cluster cluster =
        other.isPresent() ? null : clusterOptions.connect(context, defaultServers(), unjoinedServers())) {
      Results.ClusterInfo info = other.isPresent() ? other.get() : clusterInfo(cluster, repo);
      List<Long> pids = serverPids(cluster);
      CpuAccounting.Snapshot cpuStart = CpuAccounting.take(pids);
      Outcome outcome = run(cluster, context);
      CpuAccounting.Share cpu = CpuAccounting.between(cpuStart, CpuAccounting.take(pids));
      List<String> notes = new ArrayList<>(outcome.notes());
      System.out.println();
      System.out.println(
          "== " + scenario() + " — " + Runtime.getRuntime().availableProcessors() + " cores, "
              + DateTimeFormatter.ISO_LOCAL_DATE.format(now) + ", " + info.mode() + " cluster of "
              + info.servers().size() + " server(s) at start, load average " + loadAtStart + " at start, "
              + Results.loadAverage() + " at end; CPU ours/other " + Tables.cpu(cpu) + " ==");
      System.out.print(outcome.table());
      notes.forEach(note -> System.out.println("note: " + note));
      Path file =
          outputOptions.resultsFile != null ? outputOptions.resultsFile : resultsDir.resolve(runId + ".json");
      Results.write(
          file,
          new Results.Report(
              scenario(),
              now.toOffsetDateTime().toString(),
              Results.Machine.current(loadAtStart),
              info,
              cpu,
              outcome.parameters(),
              outcome.results(),
              outcome.table(),
              notes));
      System.out.println("results: " + file.toAbsolutePath());
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("bench " + scenario() + ": " + e.getMessage());
      return 2;
    } catch (IllegalStateException | StatusRuntimeException e) {
      System.err.println("bench " + scenario() + " failed: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("bench " + scenario() + " failed: " + e);
      e.printStackTrace();
      return 1;
    }
  }

  private Results.ClusterInfo clusterInfo(Cluster cluster, Path repo) {
    Configuration config = cluster.configuration();
    return new Results.ClusterInfo(
        clusterOptions.isLocal() ? "local" : "external",
        cluster.shardmasterAddress(),
        config.number(),
        config.servers().stream().map(Object::toString).toList(),
        Repo.head(repo),
        cluster.local()
            .map(local -> Map.of(
                "shardmaster", Repo.describe(local.shardmasterJar()),
                "shardkv", Repo.describe(local.shardkvJar())))
            .orElse(Map.of()));
  }
}
