package com.bacefook.store.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The results file of one run: what ran, where, with which parameters, and what it measured. */
final class Results {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Results() {}

  /**
   * The machine the bench ran on. The load averages (1, 5, 15 minutes, from /proc/loadavg) show whether
   * something else was running: on a machine shared with other work the numbers are not comparable.
   */
  record Machine(int cores, long maxHeapBytes, String java, String os, String loadAverageAtStart, String loadAverageAtEnd) {
    static Machine current(String loadAverageAtStart) {
      return new Machine(
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory(),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
          System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
          loadAverageAtStart,
          loadAverage());
    }
  }

  /** The 1, 5 and 15 minute load averages, or "unknown" where /proc/loadavg does not exist. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The cluster driven: started by the bench ({@code local}) or given ({@code external}). */
  record ClusterInfo(
      String mode, String shardmaster, long configNumber, List<String> servers, String repoHead, Map<String, String> serverJars) {}

  /** The whole file. */
  record Report(
      String scenario,
      String startedAt,
      Machine machine,
      ClusterInfo cluster,
      CpuAccounting.Share cpuDuringRun,
      Map<String, Object> parameters,
      Object results,
      String table,
      List<String> notes) {}

  static Path write(Path file, Report report) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), report);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results to " + file, e);
    }
  }
}
