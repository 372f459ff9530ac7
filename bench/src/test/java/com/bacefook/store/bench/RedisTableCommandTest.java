package com.bacefook.store.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison table reads redis-benchmark's CSV and our results files. */
class RedisTableCommandTest {
  @TempDir Path dir;

  @Test
  void putsRedisBesideOursWithTheRatio() throws IOException {
    Path redis = Files.createDirectories(dir.resolve("redis"));
    String header = "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n";
    Files.writeString(redis.resolve("c4.csv"), header + "\"SET\",\"40000.00\",\"0.1\",\"0.0\",\"0.1\",\"0.2\",\"0.500\",\"3\"\n"
        + "\"GET\",\"50000.00\",\"0.1\",\"0.0\",\"0.1\",\"0.2\",\"0.250\",\"3\"\n");
    Files.writeString(redis.resolve("memory.properties"),
        "keys=1000\nused_memory_before=1000000\nused_memory_after=1200000\nused_memory_rss_before=0\nused_memory_rss_after=300000\nmethod=debug populate\n");
    Path put = dir.resolve("put.json");
    Path get = dir.resolve("get.json");
    Path memory = dir.resolve("memory.json");
    Files.writeString(put, "{\"results\":{\"steps\":[{\"clients\":4,\"opsPerSecond\":4000.0,\"latency\":{\"p99Us\":2000}}]}}");
    Files.writeString(get, "{\"results\":{\"steps\":[{\"clients\":4,\"opsPerSecond\":10000.0,\"latency\":{\"p99Us\":1000}}]}}");
    Files.writeString(memory, "{\"results\":{\"heapBytesPerKey\":321.5}}");
    Path out = dir.resolve("out.json");

    int exit =
        BenchMain.run("redis-table", "--redis-dir", redis.toString(), "--ours-put", put.toString(), "--ours-get",
            get.toString(), "--ours-memory", memory.toString(), "--results-file", out.toString());

    assertThat(exit).isZero();
    JsonNode report = Results.JSON.readTree(out.toFile());
    JsonNode row = report.path("rows").get(0);
    assertThat(row.path("clients").asInt()).isEqualTo(4);
    assertThat(row.path("redisSet").asDouble()).isEqualTo(40000.0);
    assertThat(row.path("oursGet").asDouble()).isEqualTo(10000.0);
    assertThat(row.path("redisSetP99Us").asLong()).isEqualTo(500);
    assertThat(report.path("memory").path("redisUsedBytesPerKey").asDouble()).isEqualTo(200.0);
    assertThat(report.path("memory").path("oursHeapBytesPerKey").asDouble()).isEqualTo(321.5);
    assertThat(report.path("table").asText()).contains("0.10x").contains("0.20x");
  }
}
