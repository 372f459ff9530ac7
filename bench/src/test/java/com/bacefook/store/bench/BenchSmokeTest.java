package com.bacefook.store.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Runs every scenario for a couple of seconds with small parameters against servers started from the
 * built jars, and checks that each printed sane numbers into its results file.
 */
@Timeout(180)
class BenchSmokeTest {
  /** Small heaps, and C1 only: the servers start faster and a smoke run needs no peak performance. */
  private static final String SERVER_JVM = "-Xmx512m -XX:TieredStopAtLevel=1";

  @TempDir Path results;

  @Test
  void steadyAndGdprAgainstARunningCluster() throws IOException {
    Progress quiet = new Progress(System.err, false);
    LocalCluster.Settings settings =
        new LocalCluster.Settings(Repo.locate(null), List.of(SERVER_JVM.split(" ")), results.resolve("logs/shared"), null, null, 1);
    try (LocalCluster local = LocalCluster.start(settings, 3, quiet);
        Cluster cluster = new Cluster(local.shardmasterAddress(), null)) {
      for (String server : local.shardkvNames()) {
        cluster.shardmaster().join(server);
        cluster.awaitServing(Duration.ofSeconds(60));
      }

      JsonNode steady =
          run("steady", "--shardmaster", local.shardmasterAddress(), "--clients", "1,4", "--jit-warmup", "0", "--warmup", "500ms",
              "--duration", "1500ms", "--keyspace", "2002", "--keys", "zipfian");
      assertThat(steady.path("cluster").path("servers")).hasSize(3);
      JsonNode steps = steady.path("results").path("steps");
      assertThat(steps).hasSize(2);
      for (JsonNode step : steps) {
        assertThat(step.path("ops").asLong()).as("ops of %s", step).isPositive();
        assertThat(step.path("opsPerSecond").asDouble()).isPositive();
        assertThat(step.path("errors").size()).as("errors of %s", step).isZero();
        assertThat(step.path("latency").path("p50Us").asLong()).isPositive();
        assertThat(step.path("latency").path("p99Us").asLong())
            .isGreaterThanOrEqualTo(step.path("latency").path("p50Us").asLong());
        assertThat(step.path("perOp")).hasSize(2);
      }
      assertThat(steady.path("results").path("preload").path("keys").asLong()).isEqualTo(2002);

      JsonNode gdpr =
          run("gdpr", "--shardmaster", local.shardmasterAddress(), "--posts", "60", "--rounds", "1");
      JsonNode round = gdpr.path("results").path("rounds").get(0);
      assertThat(round.path("deleteMillis").asDouble()).isPositive();
      assertThat(round.path("leftOver").asLong()).isZero();
      assertThat(gdpr.path("results").path("postsPerServer").size()).isEqualTo(3);
    }
  }

  @Test
  void singleStartsItsOwnServer() throws IOException {
    JsonNode single =
        run("single", "--start-local", "--server-java-opts", SERVER_JVM, "--clients", "2", "--jit-warmup", "500ms", "--warmup", "500ms",
            "--duration", "1500ms", "--mix", "get=60,put=20,append=20", "--keyspace", "500");
    assertThat(single.path("cluster").path("mode").asText()).isEqualTo("local");
    assertThat(single.path("cluster").path("servers")).hasSize(1);
    JsonNode step = single.path("results").path("steps").get(0);
    assertThat(step.path("ops").asLong()).isPositive();
    assertThat(step.path("errors").size()).isZero();
    assertThat(step.path("serverCpuUsPerOp").asDouble()).isPositive();
  }

  @Test
  void theAsyncModeKeepsManyRequestsInFlightPerClient() throws IOException {
    JsonNode single =
        run("single", "--start-local", "--server-java-opts", SERVER_JVM, "--clients", "1", "--inflight", "16",
            "--jit-warmup", "0", "--warmup", "500ms", "--duration", "1500ms", "--keyspace", "500");
    assertThat(single.path("parameters").path("inflight").asInt()).isEqualTo(16);
    JsonNode step = single.path("results").path("steps").get(0);
    assertThat(step.path("ops").asLong()).isPositive();
    assertThat(step.path("errors").size()).isZero();
    assertThat(step.path("perOp")).hasSize(2);
  }

  @Test
  void redisIsDrivenByTheSameLoadGenerator() throws Exception {
    int port = FreePort.next();
    Process redis =
        new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", results.toString())
            .redirectErrorStream(true)
            .redirectOutput(results.resolve("redis.log").toFile())
            .start();
    try {
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> ping(port));
      JsonNode steady =
          run("steady", "--redis", "127.0.0.1:" + port, "--redis-pid", String.valueOf(redis.pid()), "--clients", "2",
              "--jit-warmup", "0", "--warmup", "300ms", "--duration", "1s", "--key-form", "user");
      assertThat(steady.path("cluster").path("mode").asText()).isEqualTo("redis");
      JsonNode step = steady.path("results").path("steps").get(0);
      assertThat(step.path("ops").asLong()).isPositive();
      assertThat(step.path("errors").size()).isZero();
      assertThat(step.path("serverCpuUsPerOp").asDouble()).isPositive();
      try (Jedis jedis = new Jedis("127.0.0.1", port)) {
        assertThat(jedis.dbSize()).isEqualTo(1001);
      }
    } finally {
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theGrpcFloorIsDrivenLikeAClusterOfOneServer() throws Exception {
    try (FloorServer floor = FloorServer.start(0)) {
      JsonNode steady =
          run("steady", "--shardmaster", "127.0.0.1:" + floor.port(), "--server-pid",
              String.valueOf(ProcessHandle.current().pid()), "--clients", "2", "--jit-warmup", "0", "--warmup", "300ms",
              "--duration", "1s", "--key-form", "user");
      JsonNode step = steady.path("results").path("steps").get(0);
      assertThat(step.path("ops").asLong()).isPositive();
      assertThat(step.path("errors").size()).isZero();
      assertThat(step.path("serverCpuUsPerOp").asDouble()).isPositive();
    }
  }

  private static boolean ping(int port) {
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      return jedis.ping().equals("PONG");
    }
  }

  @Test
  void migrateTimesTheHandoffToAJoiningServer() throws IOException {
    JsonNode migrate =
        run("migrate", "--start-local", "--server-java-opts", SERVER_JVM, "--preload-keys", "20000",
            "--baseline", "500ms", "--load-clients", "2");
    JsonNode move = migrate.path("results").path("move");
    assertThat(move.path("complete").asBoolean()).isTrue();
    assertThat(move.path("movedKeys").asLong()).isPositive();
    assertThat(move.path("keysPerSecond").asLong()).isPositive();
    assertThat(move.path("verification").path("checked").asLong()).isEqualTo(move.path("movedKeys").asLong());
    assertThat(move.path("verification").path("missing").asLong()).isZero();
    assertThat(move.path("verification").path("wrong").asLong()).isZero();
    assertThat(migrate.path("results").path("getsBefore").path("ops").asLong()).isPositive();
    assertThat(migrate.path("results").path("getsBefore").path("errors").size()).isZero();
  }

  @Test
  void memoryReadsTheServersHeap() throws IOException {
    JsonNode memory =
        run("memory", "--start-local", "--server-java-opts", SERVER_JVM, "--preload-keys", "10000");
    double perKey = memory.path("results").path("heapBytesPerKey").asDouble();
    // 100-byte values and ~10-byte keys cannot take less than their payload, nor kilobytes each.
    assertThat(perKey).isBetween(100.0, 5_000.0);
    assertThat(memory.path("results").path("classGrowthPerKey").size()).isPositive();
    assertThat(memory.path("results").path("rssBytesPerKey").asDouble()).isGreaterThan(perKey);
  }

  @Test
  void warmstartMeasuresAFreshClusterSecondBySecond() throws IOException {
    JsonNode warm =
        run("warmstart", "--start-local", "1", "--server-java-opts", SERVER_JVM, "--clients", "2", "--client-warmup", "500ms",
            "--first", "2s", "--settle", "500ms", "--warm", "1s");
    JsonNode results = warm.path("results");
    assertThat(results.path("firstSeconds")).hasSize(2);
    assertThat(results.path("firstSeconds").get(0).path("opsPerSecond").asDouble()).isPositive();
    assertThat(results.path("warmWindow").path("ops").asLong()).isPositive();
    assertThat(results.path("warmWindow").path("errors").size()).isZero();
    assertThat(results.path("firstShare").asDouble()).isPositive();
    assertThat(results.path("secondsToServe").asDouble()).isPositive();
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingStarts() {
    assertThat(BenchMain.run("warmstart", "--shardmaster", "127.0.0.1:1")).isEqualTo(2);
    assertThat(BenchMain.run("warmstart", "--start-local", "--first", "0s")).isEqualTo(2);
    assertThat(BenchMain.run("steady", "--clients", "0", "--start-local")).isEqualTo(2);
    assertThat(BenchMain.run("memory", "--shardmaster", "127.0.0.1:1")).isEqualTo(2);
    assertThat(BenchMain.run("steady", "--mix", "fly=3", "--start-local")).isEqualTo(2);
    assertThat(BenchMain.run("steady")).isEqualTo(2);
    assertThat(BenchMain.run("steady", "--start-local", "--server-pid", "1")).isEqualTo(2);
    assertThat(BenchMain.run("floor", "--port", "70000")).isEqualTo(2);
  }

  /** Runs a scenario with its results going to the temp folder, and returns its results file. */
  private JsonNode run(String scenario, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of(scenario, "--no-progress", "--results-dir", results.toString()));
    args.addAll(List.of(options));
    int exit = BenchMain.run(args.toArray(String[]::new));
    assertThat(exit).as("exit code of bench %s", args).isZero();
    Path file;
    try (Stream<Path> files = Files.list(results)) {
      file =
          files
              .filter(f -> f.getFileName().toString().startsWith(scenario + "-"))
              .filter(f -> f.getFileName().toString().endsWith(".json"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no results file of " + scenario + " in " + results));
    }
    JsonNode report = Results.JSON.readTree(file.toFile());
    assertThat(report.path("scenario").asText()).isEqualTo(scenario);
    assertThat(report.path("machine").path("cores").asInt()).isPositive();
    assertThat(report.path("table").asText()).isNotBlank();
    return report;
  }
}
