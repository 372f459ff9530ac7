package com.bacefook.store.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Heap bytes per key: the servers' heap in use after a full GC, before and after preloading N keys
 * through the cluster, read with {@code jcmd} from the processes {@code --start-local} started.
 */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    description = "Preload N keys and report the servers' heap bytes per key (needs --start-local).")
final class MemoryCommand extends ScenarioCommand {
  private static final Duration PRELOAD_TIMEOUT = Duration.ofMinutes(60);
  private static final int TOP_CLASSES = 8;

  @Option(names = "--preload-keys", paramLabel = "N", description = "Generic keys k_<id>_<seq> to store (default: 1,000,000).")
  long preloadKeys = 1_000_000;

  @Option(names = "--value-bytes", paramLabel = "N", description = "Size of each value (default: ${DEFAULT-VALUE}).")
  int valueBytes = 100;

  @Option(names = "--preload-threads", paramLabel = "N", description = "Threads writing the keys (default: ${DEFAULT-VALUE}).")
  int preloadThreads = 8;

  @Override
  String scenario() {
    return "memory";
  }

  @Override
  int defaultServers() {
    return 1;
  }

  @Override
  void validate() {
    if (!clusterOptions.isLocal()) {
      throw new IllegalArgumentException(
          "memory reads the servers' heaps with jcmd, so it needs the processes it starts itself: use --start-local [N]");
    }
    Checks.positive("--preload-keys", preloadKeys, 100_000_000);
    Checks.valueBytes(valueBytes);
    Checks.positive("--preload-threads", preloadThreads, 1024);
  }

  /** One server's heap before and after the keys arrived. */
  record ServerHeap(
      String server, long pid, long usedBeforeBytes, long usedAfterBytes, long committedAfterBytes, long rssBeforeBytes,
      long rssAfterBytes) {}

  /** Per-key growth of one class. */
  record ClassPerKey(String className, double instancesPerKey, double bytesPerKey) {}

  @Override
  Outcome run(Cluster cluster, RunContext context) {
    LocalCluster local = cluster.local().orElseThrow();
    Progress progress = context.progress();
    List<ServerProcess> servers = local.shardkvs();
    List<HeapProbe.Heap> before = new ArrayList<>();
    List<Long> rssBefore = new ArrayList<>();
    List<Map<String, HeapProbe.ClassUse>> histogramsBefore = new ArrayList<>();
    for (ServerProcess server : servers) {
      before.add(HeapProbe.heapAfterGc(server.pid()));
      histogramsBefore.add(HeapProbe.classHistogram(server.pid()));
      rssBefore.add(rss(server.pid()));
    }
    KeySpace keys = new KeySpace(KeyForm.GENERIC, "k", preloadKeys, IdDistribution.over(IdDistribution.Kind.UNIFORM, 0, context.seed()));
    Preloader.Result preload =
        Preloader.load(cluster.store(), keys.size(), keys::keyAt, valueBytes, preloadThreads, PRELOAD_TIMEOUT, progress, "memory preload");
    progress.note("stored %s keys of %d B in %.1f s (%s keys/s)", Tables.count(preload.keys()), valueBytes, preload.seconds(),
        Tables.count(Math.round(preload.keysPerSecond())));
    if (preload.failures() > 0) {
      throw new IllegalStateException("the preload failed for some keys: " + preload.failed());
    }

    List<ServerHeap> heaps = new ArrayList<>();
    Map<String, HeapProbe.ClassUse> growth = new LinkedHashMap<>();
    long totalBefore = 0;
    long totalAfter = 0;
    long rssTotalAfter = 0;
    for (int i = 0; i < servers.size(); i++) {
      ServerProcess server = servers.get(i);
      HeapProbe.Heap after = HeapProbe.heapAfterGc(server.pid());
      Map<String, HeapProbe.ClassUse> histogram = HeapProbe.classHistogram(server.pid());
      for (HeapProbe.ClassUse use : HeapProbe.growth(histogramsBefore.get(i), histogram, Integer.MAX_VALUE)) {
        growth.merge(use.className(), use, (a, b) -> new HeapProbe.ClassUse(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
      }
      long rssAfter = rss(server.pid());
      heaps.add(
          new ServerHeap(server.name(), server.pid(), before.get(i).usedBytes(), after.usedBytes(), after.committedBytes(),
              rssBefore.get(i), rssAfter));
      totalBefore += before.get(i).usedBytes();
      totalAfter += after.usedBytes();
      rssTotalAfter = rssAfter < 0 || rssTotalAfter < 0 ? -1 : rssTotalAfter + rssAfter;
    }
    long n = preload.keys();
    double bytesPerKey = (totalAfter - totalBefore) / (double) n;
    long step = Math.max(1, n / 10_000);
    long sampled = 0;
    double keyChars = 0;
    for (long i = 0; i < n; i += step) {
      keyChars += keys.keyAt(i).length();
      sampled++;
    }
    double averageKey = sampled == 0 ? 0 : keyChars / sampled;
    double payload = averageKey + valueBytes;
    List<ClassPerKey> perClass =
        growth.values().stream()
            .sorted((a, b) -> Long.compare(b.bytes(), a.bytes()))
            .limit(TOP_CLASSES)
            .map(c -> new ClassPerKey(c.className(), round2(c.instances() / (double) n), round2(c.bytes() / (double) n)))
            .toList();

    Tables table = new Tables("server", "heap before MB", "heap after MB", "committed MB", "RSS before MB", "RSS after MB");
    for (ServerHeap h : heaps) {
      table.row(h.server(), Tables.fixed(h.usedBeforeBytes() / 1e6, 1), Tables.fixed(h.usedAfterBytes() / 1e6, 1),
          Tables.fixed(h.committedAfterBytes() / 1e6, 1), megabytes(h.rssBeforeBytes()), megabytes(h.rssAfterBytes()));
    }
    double rssPerKey = rssTotalAfter < 0 ? -1 : rssTotalAfter / (double) n;
    Tables classes = new Tables("class (growth)", "objects/key", "bytes/key");
    for (ClassPerKey c : perClass) {
      if (c.bytesPerKey() < 0.1) {
        continue; // noise: classes that did not grow with the keys
      }
      classes.row(c.className(), Tables.fixed(c.instancesPerKey(), 2), Tables.fixed(c.bytesPerKey(), 1));
    }
    String summary =
        String.format(Locale.ROOT,
            "%s keys of %d B values (payload %.1f B/key: key + value): heap %.1f B/key after GC, %.2fx the payload;"
                + " resident (VmRSS) %s MB after, %s B/key%n",
            Tables.count(n), valueBytes, payload, bytesPerKey, bytesPerKey / payload, megabytes(rssTotalAfter),
            rssPerKey < 0 ? "-" : Tables.fixed(rssPerKey, 1));

    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("preloadKeys", preloadKeys);
    parameters.put("valueBytes", valueBytes);
    parameters.put("preloadThreads", preloadThreads);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("preload", preload);
    results.put("keys", n);
    results.put("heapBytesPerKey", round2(bytesPerKey));
    results.put("payloadBytesPerKey", round2(payload));
    results.put("rssBytesAfter", rssTotalAfter);
    results.put("rssBytesPerKey", round2(rssPerKey));
    results.put("servers", heaps);
    results.put("classGrowthPerKey", perClass);
    List<String> notes = List.of(
        "heap in use after a full GC (jcmd GC.run, then GC.heap_info) minus the same before the preload, summed over the servers;"
            + " class growth from jcmd GC.class_histogram before and after");
    return new Outcome(parameters, results, summary + table.render() + "\n" + classes.render(), notes);
  }

  private static String megabytes(long bytes) {
    return bytes < 0 ? "-" : Tables.fixed(bytes / 1e6, 1);
  }

  /** Resident set size of {@code pid} from /proc, or -1 where there is none. */
  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
