package com.bacefook.store.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Puts redis-benchmark's numbers beside ours, for {@code bench/compare-redis.sh}: per client count,
 * redis SET vs our Put and redis GET vs our Get, with the ratio; and memory per key.
 */
@Command(
    name = "redis-table",
    mixinStandardHelpOptions = true,
    description = "Used by compare-redis.sh: one table of redis-benchmark results beside ours.")
final class RedisTableCommand implements Callable<Integer> {

  @Option(names = "--redis-dir", required = true, paramLabel = "DIR", description = "c<N>.csv from redis-benchmark --csv, and memory.properties.")
  Path redisDir;

  @Option(names = "--ours-put", required = true, paramLabel = "FILE", description = "Results of steady with --mix put=100.")
  Path oursPut;

  @Option(names = "--ours-get", required = true, paramLabel = "FILE", description = "Results of steady with --mix get=100.")
  Path oursGet;

  @Option(names = "--ours-memory", paramLabel = "FILE", description = "Results of the memory scenario.")
  Path oursMemory;

  @Option(names = "--results-file", required = true, paramLabel = "FILE", description = "Where to write the combined JSON.")
  Path resultsFile;

  /** One client count's numbers: ops/s and p99 in microseconds. */
  record Row(int clients, double redisSet, double oursPut, double redisGet, double oursGet,
             long redisSetP99Us, long oursPutP99Us, long redisGetP99Us, long oursGetP99Us,
             double oursPutOtherCpu, double oursGetOtherCpu) {}

  /** Memory per key. */
  record Memory(long redisKeys, double redisUsedBytesPerKey, double redisRssBytesPerKey, double oursHeapBytesPerKey, String redisMethod) {}

  @Override
  public Integer call() throws IOException {
    Map<Integer, Map<String, double[]>> redis = readRedis(redisDir);
    Map<Integer, double[]> put = readOurs(oursPut);
    Map<Integer, double[]> get = readOurs(oursGet);
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Integer, Map<String, double[]>> e : redis.entrySet()) {
      int c = e.getKey();
      double[] set = e.getValue().getOrDefault("SET", new double[] {0, 0});
      double[] rget = e.getValue().getOrDefault("GET", new double[] {0, 0});
      double[] p = put.getOrDefault(c, new double[] {0, 0, -1});
      double[] g = get.getOrDefault(c, new double[] {0, 0, -1});
      rows.add(new Row(c, set[0], p[0], rget[0], g[0], (long) set[1], (long) p[1], (long) rget[1], (long) g[1], p[2], g[2]));
    }
    Tables table =
        new Tables("clients", "redis SET/s", "our put/s", "ratio", "redis GET/s", "our get/s", "ratio",
            "p99 ms SET/put", "p99 ms GET/get", "other CPU put/get");
    for (Row r : rows) {
      table.row(
          r.clients(),
          Tables.count(Math.round(r.redisSet())), Tables.count(Math.round(r.oursPut())), ratio(r.oursPut(), r.redisSet()),
          Tables.count(Math.round(r.redisGet())), Tables.count(Math.round(r.oursGet())), ratio(r.oursGet(), r.redisGet()),
          Tables.millis(r.redisSetP99Us()) + " / " + Tables.millis(r.oursPutP99Us()),
          Tables.millis(r.redisGetP99Us()) + " / " + Tables.millis(r.oursGetP99Us()),
          percent(r.oursPutOtherCpu()) + " / " + percent(r.oursGetOtherCpu()));
    }
    StringBuilder text = new StringBuilder();
    text.append("redis-benchmark (-P 1, -d 100; median of its runs) vs bench steady on 3 local servers; ratio = ours / redis;\n")
        .append("other CPU: share of the machine used by other processes while ours was measured\n");
    text.append(table.render());

    text.append("load average (1m 5m 15m) during our runs: put ").append(loadOf(oursPut)).append(", get ")
        .append(loadOf(oursGet)).append(" (other work on the machine slows ours; redis-benchmark's runs are short)\n");

    Memory memory = readMemory();
    if (memory != null) {
      text.append('\n')
          .append(new Tables("memory per key (100 B values)", "bytes/key")
              .row("redis used_memory (" + Tables.count(memory.redisKeys()) + " keys, " + memory.redisMethod() + ")", Tables.fixed(memory.redisUsedBytesPerKey(), 1))
              .row("redis used_memory_rss", Tables.fixed(memory.redisRssBytesPerKey(), 1))
              .row("ours: shardkv heap after GC", memory.oursHeapBytesPerKey() < 0 ? "-" : Tables.fixed(memory.oursHeapBytesPerKey(), 1))
              .render());
    }
    System.out.print(text);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("scenario", "compare-redis");
    report.put("startedAt", ZonedDateTime.now().toOffsetDateTime().toString());
    report.put("machine", Results.Machine.current("unknown"));
    report.put("rows", rows);
    report.put("memory", memory);
    report.put("table", text.toString());
    report.put("sources", List.of(redisDir.toString(), oursPut.toString(), oursGet.toString(), String.valueOf(oursMemory)));
    Files.createDirectories(resultsFile.toAbsolutePath().getParent());
    Results.JSON.writeValue(resultsFile.toFile(), report);
    System.out.println("results: " + resultsFile.toAbsolutePath());
    return 0;
  }

  private static String loadOf(Path file) {
    try {
      JsonNode machine = Results.JSON.readTree(file.toFile()).path("machine");
      return machine.path("loadAverageAtStart").asText("?") + " -> " + machine.path("loadAverageAtEnd").asText("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static String percent(double share) {
    return share < 0 ? "-" : Math.round(share * 100) + "%";
  }

  private static String ratio(double ours, double redis) {
    return redis <= 0 ? "-" : Tables.fixed(ours / redis, 2) + "x";
  }

  /**
   * client count → test name → {rps, p99 µs}, from {@code c<N>.csv} or repeated runs {@code c<N>-r<K>.csv}, of
   * which the median run (by rps) is kept per test.
   */
  static Map<Integer, Map<String, double[]>> readRedis(Path dir) throws IOException {
    Map<Integer, Map<String, List<double[]>>> runs = new TreeMap<>();
    Pattern name = Pattern.compile("c(\\d+)(-r\\d+)?\\.csv");
    try (var files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        Matcher m = name.matcher(file.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        int clients = Integer.parseInt(m.group(1));
        Map<String, List<double[]>> tests = runs.computeIfAbsent(clients, c -> new LinkedHashMap<>());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> header = lines.isEmpty() ? List.of() : cells(lines.get(0));
        int rps = header.indexOf("rps");
        int p99 = header.indexOf("p99_latency_ms");
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
          List<String> row = cells(line);
          if (row.size() > Math.max(rps, p99) && rps >= 0) {
            double p99Us = p99 >= 0 ? Double.parseDouble(row.get(p99)) * 1000 : 0;
            tests.computeIfAbsent(row.get(0), t -> new ArrayList<>()).add(new double[] {Double.parseDouble(row.get(rps)), p99Us});
          }
        }
      }
    }
    Map<Integer, Map<String, double[]>> byClients = new TreeMap<>();
    runs.forEach(
        (clients, tests) -> {
          Map<String, double[]> medians = new LinkedHashMap<>();
          tests.forEach(
              (test, results) -> {
                results.sort((a, b) -> Double.compare(a[0], b[0]));
                medians.put(test, results.get(results.size() / 2));
              });
          byClients.put(clients, medians);
        });
    return byClients;
  }

  private static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    for (String cell : line.split(",")) {
      cells.add(cell.trim().replace("\"", ""));
    }
    return cells;
  }

  /** client count → {ops/s, p99 µs, share of the machine used by other processes (or -1)} of a steady results file. */
  static Map<Integer, double[]> readOurs(Path file) {
    try {
      JsonNode steps = Results.JSON.readTree(file.toFile()).path("results").path("steps");
      Map<Integer, double[]> byClients = new TreeMap<>();
      for (JsonNode step : steps) {
        byClients.put(step.path("clients").asInt(),
            new double[] {
              step.path("opsPerSecond").asDouble(),
              step.path("latency").path("p99Us").asDouble(),
              step.path("cpu").path("others").asDouble(-1)
            });
      }
      return byClients;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private Memory readMemory() throws IOException {
    Path file = redisDir.resolve("memory.properties");
    if (!Files.exists(file)) {
      return null;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    long keys = Long.parseLong(p.getProperty("keys", "0"));
    long usedBefore = Long.parseLong(p.getProperty("used_memory_before", "0"));
    long usedAfter = Long.parseLong(p.getProperty("used_memory_after", "0"));
    long rssBefore = Long.parseLong(p.getProperty("used_memory_rss_before", "0"));
    long rssAfter = Long.parseLong(p.getProperty("used_memory_rss_after", "0"));
    double ours = -1;
    if (oursMemory != null && Files.exists(oursMemory)) {
      ours = Results.JSON.readTree(oursMemory.toFile()).path("results").path("heapBytesPerKey").asDouble(-1);
    }
    return new Memory(
        keys,
        keys == 0 ? 0 : (usedAfter - usedBefore) / (double) keys,
        keys == 0 ? 0 : (rssAfter - rssBefore) / (double) keys,
        ours,
        p.getProperty("method", "?"));
  }
}
