package com.bacefook.store.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison table reads the runs' results files and states every ratio against its goal. */
class RedisTableCommandTest {
  @TempDir Path dir;

  private Path steps(String name, int inflight, double... perStep) throws IOException {
    StringBuilder json = new StringBuilder("{\"parameters\":{\"inflight\":" + inflight + "},\"results\":{\"steps\":[");
    for (int i = 0; i < perStep.length; i += 5) {
      if (i > 0) {
        json.append(',');
      }
      json.append(String.format(Locale.ROOT,
          "{\"clients\":%d,\"opsPerSecond\":%.1f,\"latency\":{\"p50Us\":%d,\"p99Us\":%d},\"serverCpuUsPerOp\":%.1f,"
              + "\"cpu\":{\"others\":0.01}}",
          (int) perStep[i], perStep[i + 1], (long) perStep[i + 2], (long) perStep[i + 3], perStep[i + 4]));
    }
    json.append("]}}");
    Path file = dir.resolve(name);
    Files.writeString(file, json);
    return file;
  }

  @Test
  void putsEveryRunInOneTableAndJudgesEachRatioAgainstItsGoal() throws IOException {
    Path redis = steps("redis.json", 1, 1, 25000, 34, 80, 20, 16, 50000, 100, 1000, 15, 64, 50000, 500, 3000, 14);
    Path ours = steps("ours.json", 1, 1, 5000, 200, 900, 150, 16, 10000, 1000, 5000, 100, 64, 20000, 3000, 9000, 40);
    Path aof = steps("aof.json", 1, 1, 6000, 230, 900, 20, 16, 15000, 900, 2700, 19, 64, 30000, 2000, 6000, 19);
    Path durable = steps("durable.json", 1, 1, 1000, 900, 5000, 900, 16, 4000, 4000, 16000, 200, 64, 6000, 9000, 30000, 190);
    Path async = steps("async.json", 64, 1, 30000, 2000, 9000, 30);
    Path replicated = steps("replicated.json", 1, 64, 1500, 40000, 160000, 900);
    Path floor = steps("floor.json", 1, 1, 8000, 100, 500, 120, 16, 20000, 600, 2000, 30, 64, 25000, 2000, 6000, 28);
    Path memory = dir.resolve("memory.properties");
    Files.writeString(memory,
        "keys=1000\nused_memory_before=1000000\nused_memory_after=1200000\nused_memory_rss_before=0\nused_memory_rss_after=300000\nmethod=debug populate\n");
    Path oursMemory = dir.resolve("memory.json");
    Files.writeString(oursMemory, "{\"results\":{\"heapBytesPerKey\":321.5,\"rssBytesPerKey\":900.0}}");
    Path out = dir.resolve("out.json");

    int exit =
        BenchMain.run("redis-table", "--redis", redis.toString(), "--ours", ours.toString(), "--redis-aof", aof.toString(),
            "--ours-durable", durable.toString(), "--ours-async", async.toString(), "--redis-memory", memory.toString(),
            "--ours-memory", oursMemory.toString(), "--ours-replicated", replicated.toString(),
            "--floor", floor.toString(), "--results-file", out.toString());

    assertThat(exit).isZero();
    JsonNode report = Results.JSON.readTree(out.toFile());
    assertThat(report.path("runs")).hasSize(7);
    assertThat(ratio(report, "floor: server CPU µs/op @64, grpc-java floor / Redis").path("ratio").asDouble())
        .isEqualTo(2.0);
    assertThat(ratio(report, "floor: server CPU µs/op @64, ours / grpc-java floor").path("ratio").asDouble())
        .isEqualTo(1.429);
    assertThat(ratio(report, "floor: p50 µs @1").path("ratio").asDouble()).isEqualTo(2.941);
    assertThat(ratio(report, "throughput @64, replica groups").path("ratio").asDouble()).isEqualTo(0.25);
    assertThat(ratio(report, "throughput @64, replica groups").path("met").asBoolean()).isFalse();
    assertThat(ratio(report, "throughput @64, in memory").path("ratio").asDouble()).isEqualTo(0.4);
    assertThat(ratio(report, "throughput @64, in memory").path("met").asBoolean()).isTrue();
    assertThat(ratio(report, "server CPU µs/op @64, in memory").path("ratio").asDouble()).isEqualTo(2.857);
    assertThat(ratio(report, "server CPU µs/op @64, in memory").path("met").asBoolean()).isFalse();
    assertThat(ratio(report, "p50 µs @1, in memory").path("ratio").asDouble()).isEqualTo(5.882);
    assertThat(ratio(report, "throughput, async client").path("ratio").asDouble()).isEqualTo(0.6);
    assertThat(ratio(report, "throughput @64, --data-dir").path("ratio").asDouble()).isEqualTo(0.2);
    assertThat(ratio(report, "resident bytes/key").path("ratio").asDouble()).isEqualTo(3.0);
    assertThat(report.path("memory").path("redisUsedBytesPerKey").asDouble()).isEqualTo(200.0);
    assertThat(report.path("table").asText())
        .contains("Redis (Jedis, persistence off)", "this project, --data-dir", "grpc-java floor", "Redis, appendfsync always", "NO", "yes");
  }

  @Test
  void aMissingSideLeavesTheRatioUnjudged() {
    RedisTableCommand.Ratio unknown = RedisTableCommand.ratio("x", -1, 10, 2, false);
    assertThat(unknown.met()).isNull();
    assertThat(RedisTableCommand.ratio("y", 10, 0, 2, false).met()).isNull();
  }

  private static JsonNode ratio(JsonNode report, String prefix) {
    for (JsonNode r : report.path("ratios")) {
      if (r.path("name").asText().startsWith(prefix)) {
        return r;
      }
    }
    throw new AssertionError("no ratio " + prefix + " in " + report.path("ratios"));
  }
}
