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
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Puts Redis beside the store for {@code bench/compare-redis.sh}: one table of the runs (Redis with
 * persistence off, the store in memory, Redis with {@code appendfsync always}, the store with {@code
 * --data-dir}), all measured by the same closed-loop bench client, then every ratio the cost targets
 * name (ours / Redis) with its goal; and memory per key.
 */
@Command(
    name = "redis-table",
    mixinStandardHelpOptions = true,
    description = "Used by compare-redis.sh: one table of Redis and store runs with every ratio.")
final class RedisTableCommand implements Callable<Integer> {

  @Option(names = "--redis", required = true, paramLabel = "FILE", description = "Results of steady --redis, persistence off.")
  Path redis;

  @Option(names = "--ours", required = true, paramLabel = "FILE", description = "Results of steady on the store, in memory.")
  Path ours;

  @Option(names = "--redis-aof", paramLabel = "FILE", description = "Results of steady --redis with appendfsync always.")
  Path redisAof;

  @Option(names = "--ours-durable", paramLabel = "FILE", description = "Results of steady on the store with --data-dir.")
  Path oursDurable;

  @Option(names = "--ours-replicated", paramLabel = "FILE",
      description = "Results of steady on the store as replica groups (--data-dir --replicas R).")
  Path oursReplicated;

  @Option(names = "--floor", paramLabel = "FILE",
      description = "Results of steady on bench floor (a map behind a minimal directExecutor grpc-java server).")
  Path floor;

  @Option(names = "--ours-async", paramLabel = "FILE", description = "Results of steady on the store with --inflight.")
  Path oursAsync;

  @Option(names = "--redis-memory", paramLabel = "FILE", description = "memory.properties: Redis's used_memory and used_memory_rss before and after loading keys.")
  Path redisMemory;

  @Option(names = "--ours-memory", paramLabel = "FILE", description = "Results of the memory scenario.")
  Path oursMemory;

  @Option(names = "--ours-warmstart", paramLabel = "FILE", description = "Results of the warmstart scenario.")
  Path oursWarmStart;

  @Option(names = "--redis-benchmark", paramLabel = "DIR", description = "Optional: c<N>[-r<K>].csv from redis-benchmark --csv, shown for reference.")
  Path redisBenchmark;

  @Option(names = "--results-file", required = true, paramLabel = "FILE", description = "Where to write the combined JSON.")
  Path resultsFile;

  /** One step of a run: ops/s, latency in µs, server CPU per operation, share of the machine used by others. */
  record Step(int clients, double opsPerSecond, double p50Us, double p99Us, double serverCpuUsPerOp, double otherCpu) {}

  /** One run, labelled, with its steps by client count. */
  record Run(String label, Map<Integer, Step> steps, int inflight) {
    Step at(int clients) {
      return steps.get(clients);
    }

    /** The step with the most clients (the async run has one). */
    Step largest() {
      return steps.keySet().stream().max(Integer::compare).map(steps::get).orElse(null);
    }
  }

  /** One ratio of the targets: ours / redis, with its goal ({@code atLeast} or at most). */
  record Ratio(String name, double ours, double redis, double ratio, double goal, boolean atLeast, Boolean met) {}

  /** Memory per key. */
  record Memory(long redisKeys, double redisUsedBytesPerKey, double redisRssBytesPerKey, double oursHeapBytesPerKey,
                double oursRssBytesPerKey, String redisMethod) {}

  @Override
  public Integer call() throws IOException {
    List<Run> runs = new ArrayList<>();
    Run redisOff = readRun("Redis (Jedis, persistence off)", redis);
    Run oursMemoryRun = readRun("this project, in memory", ours);
    runs.add(redisOff);
    runs.add(oursMemoryRun);
    Run aof = redisAof == null ? null : readRun("Redis, appendfsync always", redisAof);
    Run durable = oursDurable == null ? null : readRun("this project, --data-dir", oursDurable);
    Run async = oursAsync == null ? null : readRun("this project, in memory, async client", oursAsync);
    Run floorRun = floor == null ? null : readRun("grpc-java floor: a map, directExecutor, nothing else", floor);
    Run replicated =
        oursReplicated == null ? null : readRun("this project, replica groups, --data-dir", oursReplicated);
    for (Run run : new Run[] {floorRun, aof, durable, replicated, async}) {
      if (run != null) {
        runs.add(run);
      }
    }
    Tables table =
        new Tables("", "1 client ops/s", "16 clients", "64 clients", "p50 @1 ms", "p99 @16 ms", "server CPU µs/op @64 (@1)",
            "other CPU (max)");
    for (Run run : runs) {
      String label = run.inflight() > 1 ? run.label() + " (" + describeAsync(run) + ")" : run.label();
      Step one = run.at(1);
      Step sixteen = run.at(16);
      Step top = run.inflight() > 1 ? run.largest() : run.at(64);
      table.row(label, ops(one), ops(sixteen), ops(top), one == null ? "-" : Tables.millis((long) one.p50Us()),
          sixteen == null ? "-" : Tables.millis((long) sixteen.p99Us()),
          cpu(top) + (one == null || run.inflight() > 1 ? "" : " (" + cpu(one) + ")"),
          percent(run.steps().values().stream().mapToDouble(Step::otherCpu).max().orElse(-1)));
    }

    List<Ratio> ratios = new ArrayList<>();
    for (int c : new int[] {1, 16, 64}) {
      ratios.add(ratio("throughput @" + c + ", in memory", opsAt(oursMemoryRun, c), opsAt(redisOff, c), c == 64 ? 0.3 : -1, true));
    }
    ratios.add(ratio("p50 µs @1, in memory", field(oursMemoryRun, 1, Step::p50Us), field(redisOff, 1, Step::p50Us), 4, false));
    ratios.add(ratio("p99 µs @16, in memory", field(oursMemoryRun, 16, Step::p99Us), field(redisOff, 16, Step::p99Us), 4, false));
    ratios.add(ratio("server CPU µs/op @64, in memory", field(oursMemoryRun, 64, Step::serverCpuUsPerOp),
        field(redisOff, 64, Step::serverCpuUsPerOp), 2, false));
    if (floorRun != null) {
      ratios.add(ratio("floor: server CPU µs/op @64, grpc-java floor / Redis", field(floorRun, 64, Step::serverCpuUsPerOp),
          field(redisOff, 64, Step::serverCpuUsPerOp), -1, false));
      ratios.add(ratio("floor: server CPU µs/op @64, ours / grpc-java floor", field(oursMemoryRun, 64, Step::serverCpuUsPerOp),
          field(floorRun, 64, Step::serverCpuUsPerOp), -1, false));
      ratios.add(ratio("floor: throughput @64, grpc-java floor / Redis", opsAt(floorRun, 64), opsAt(redisOff, 64), -1, true));
      ratios.add(ratio("floor: p50 µs @1, grpc-java floor / Redis", field(floorRun, 1, Step::p50Us),
          field(redisOff, 1, Step::p50Us), -1, false));
    }
    if (async != null) {
      ratios.add(ratio("throughput, async client (" + describeAsync(async) + ") vs Redis @64",
          async.largest() == null ? -1 : async.largest().opsPerSecond(), opsAt(redisOff, 64), 0.5, true));
    }
    if (durable != null && aof != null) {
      ratios.add(ratio("throughput @64, --data-dir vs appendfsync always", opsAt(durable, 64), opsAt(aof, 64), 0.5, true));
      ratios.add(ratio("server CPU µs/op @64, --data-dir vs appendfsync always", field(durable, 64, Step::serverCpuUsPerOp),
          field(aof, 64, Step::serverCpuUsPerOp), -1, false));
    }
    if (durable != null && replicated != null) {
      ratios.add(ratio("throughput @64, replica groups vs --data-dir (ours / ours)", opsAt(replicated, 64),
          opsAt(durable, 64), 0.5, true));
    }
    Memory memory = readMemory();
    if (memory != null) {
      ratios.add(ratio("resident bytes/key (our VmRSS / Redis used_memory_rss)", memory.oursRssBytesPerKey(),
          memory.redisRssBytesPerKey(), 2, false));
      ratios.add(ratio("heap bytes/key after GC / Redis used_memory", memory.oursHeapBytesPerKey(),
          memory.redisUsedBytesPerKey(), -1, false));
    }
    Tables ratioTable = new Tables("ratio (ours / redis)", "ours", "redis", "ratio", "goal", "met");
    for (Ratio r : ratios) {
      ratioTable.row(r.name(), number(r.ours()), number(r.redis()), r.ratio() < 0 ? "-" : Tables.fixed(r.ratio(), 2) + "x",
          r.goal() < 0 ? "-" : (r.atLeast() ? "≥ " : "≤ ") + Tables.fixed(r.goal(), 1) + "x",
          r.met() == null ? "-" : r.met() ? "yes" : "NO");
    }

    StringBuilder text = new StringBuilder();
    text.append("the same closed-loop Java client (bench steady) for every row; server CPU = utime + stime of the server\n")
        .append("processes (redis-server; shardmaster + shardkvs; the floor server) in the measured window / operations\n")
        .append(table.render())
        .append('\n')
        .append(ratioTable.render());
    if (memory != null) {
      text.append('\n')
          .append(new Tables("memory per key (100 B values)", "bytes/key")
              .row("redis used_memory (" + Tables.count(memory.redisKeys()) + " keys, " + memory.redisMethod() + ")",
                  Tables.fixed(memory.redisUsedBytesPerKey(), 1))
              .row("redis used_memory_rss (resident, whole process)", Tables.fixed(memory.redisRssBytesPerKey(), 1))
              .row("ours: shardkv heap after GC (growth)", number(memory.oursHeapBytesPerKey()))
              .row("ours: shardkv VmRSS (resident, whole process)", number(memory.oursRssBytesPerKey()))
              .render());
    }
    JsonNode warmStart = oursWarmStart == null || !Files.exists(oursWarmStart)
        ? null : Results.JSON.readTree(oursWarmStart.toFile()).path("results");
    if (warmStart != null) {
      double share = warmStart.path("firstShare").asDouble(-1);
      text.append('\n')
          .append(String.format(Locale.ROOT,
              "warm start (ours alone): the first %.0f s after every range is served run at %s ops/s, %.0f%% of the warm"
                  + " %s ops/s; goal >= 60%%: %s%n",
              warmStart.path("firstWindow").path("seconds").asDouble(),
              Tables.count(Math.round(warmStart.path("firstWindow").path("opsPerSecond").asDouble())), 100 * share,
              Tables.count(Math.round(warmStart.path("warmWindow").path("opsPerSecond").asDouble())),
              share >= 0.6 ? "yes" : "NO"));
    }
    Map<Integer, Map<String, double[]>> benchmark = redisBenchmark == null ? Map.of() : readRedisBenchmark(redisBenchmark);
    if (!benchmark.isEmpty()) {
      Tables reference = new Tables("redis-benchmark -P 1 -d 100 (reference)", "SET/s", "GET/s", "p99 ms SET", "p99 ms GET");
      benchmark.forEach((clients, tests) -> {
        double[] set = tests.getOrDefault("SET", new double[] {0, 0});
        double[] get = tests.getOrDefault("GET", new double[] {0, 0});
        reference.row(clients + " clients", Tables.count(Math.round(set[0])), Tables.count(Math.round(get[0])),
            Tables.millis((long) set[1]), Tables.millis((long) get[1]));
      });
      text.append('\n').append(reference.render());
    }
    System.out.print(text);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("scenario", "compare-redis");
    report.put("startedAt", ZonedDateTime.now().toOffsetDateTime().toString());
    report.put("machine", Results.Machine.current("unknown"));
    report.put("runs", runs);
    report.put("ratios", ratios);
    report.put("memory", memory);
    report.put("warmStart", warmStart);
    report.put("redisBenchmark", benchmark);
    report.put("table", text.toString());
    Files.createDirectories(resultsFile.toAbsolutePath().getParent());
    Results.JSON.writeValue(resultsFile.toFile(), report);
    System.out.println("results: " + resultsFile.toAbsolutePath());
    return 0;
  }

  private static String describeAsync(Run run) {
    Step step = run.largest();
    return (step == null ? "?" : step.clients()) + " client(s) x " + run.inflight() + " in flight";
  }

  private static double opsAt(Run run, int clients) {
    return field(run, clients, Step::opsPerSecond);
  }

  private static double field(Run run, int clients, ToDoubleFunction<Step> field) {
    Step step = run.at(clients);
    return step == null ? -1 : field.applyAsDouble(step);
  }

  /** ours / redis, met if a goal is given and both sides are known. */
  static Ratio ratio(String name, double ours, double redis, double goal, boolean atLeast) {
    double ratio = ours < 0 || redis <= 0 ? -1 : ours / redis;
    Boolean met = goal < 0 || ratio < 0 ? null : atLeast ? ratio >= goal : ratio <= goal;
    return new Ratio(name, ours, redis, Math.round(ratio * 1000) / 1000.0, goal, atLeast, met);
  }

  private static String ops(Step step) {
    return step == null ? "-" : Tables.count(Math.round(step.opsPerSecond()));
  }

  private static String cpu(Step step) {
    return step == null || step.serverCpuUsPerOp() < 0 ? "-" : Tables.fixed(step.serverCpuUsPerOp(), 1);
  }

  private static String number(double value) {
    return value < 0 ? "-" : value >= 1000 ? Tables.count(Math.round(value)) : Tables.fixed(value, 1);
  }

  private static String percent(double share) {
    return share < 0 ? "-" : Math.round(share * 100) + "%";
  }

  /** Reads a steady results file: its steps by client count. */
  static Run readRun(String label, Path file) {
    try {
      JsonNode root = Results.JSON.readTree(file.toFile());
      Map<Integer, Step> byClients = new TreeMap<>();
      for (JsonNode step : root.path("results").path("steps")) {
        byClients.put(step.path("clients").asInt(),
            new Step(
                step.path("clients").asInt(),
                step.path("opsPerSecond").asDouble(),
                step.path("latency").path("p50Us").asDouble(),
                step.path("latency").path("p99Us").asDouble(),
                step.path("serverCpuUsPerOp").asDouble(-1),
                step.path("cpu").path("others").asDouble(-1)));
      }
      return new Run(label, byClients, root.path("parameters").path("inflight").asInt(1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * client count → test name → {rps, p99 µs}, from {@code c<N>.csv} or repeated runs {@code c<N>-r<K>.csv}, of
   * which the median run (by rps) is kept per test.
   */
  static Map<Integer, Map<String, double[]>> readRedisBenchmark(Path dir) throws IOException {
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

  private Memory readMemory() throws IOException {
    if (redisMemory == null || !Files.exists(redisMemory)) {
      return null;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(redisMemory, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    long keys = Long.parseLong(p.getProperty("keys", "0"));
    long usedBefore = Long.parseLong(p.getProperty("used_memory_before", "0"));
    long usedAfter = Long.parseLong(p.getProperty("used_memory_after", "0"));
    long rssAfter = Long.parseLong(p.getProperty("used_memory_rss_after", "0"));
    double heap = -1;
    double rss = -1;
    if (oursMemory != null && Files.exists(oursMemory)) {
      JsonNode results = Results.JSON.readTree(oursMemory.toFile()).path("results");
      heap = results.path("heapBytesPerKey").asDouble(-1);
      rss = results.path("rssBytesPerKey").asDouble(-1);
    }
    return new Memory(
        keys,
        keys == 0 ? 0 : (usedAfter - usedBefore) / (double) keys,
        keys == 0 ? 0 : rssAfter / (double) keys,
        heap,
        rss,
        p.getProperty("method", "?"));
  }
}
