package com.bacefook.store.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a local JVM's heap with {@code jcmd}: the heap in use after a full GC ({@code GC.run}, then
 * {@code GC.heap_info}) and the live objects per class ({@code GC.class_histogram}, which collects first).
 */
final class HeapProbe {
  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
  private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  private static final long JCMD_TIMEOUT_SECONDS = 120;

  private HeapProbe() {}

  /** Heap use in bytes. */
  record Heap(long usedBytes, long committedBytes) {}

  /** Live instances and bytes of one class. */
  record ClassUse(String className, long instances, long bytes) {}

  /** Runs a full GC in {@code pid}, then returns the heap it uses. */
  static Heap heapAfterGc(long pid) {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    long used = 0;
    long total = 0;
    Matcher m = USED.matcher(info);
    boolean found = false;
    while (m.find()) {
      total += Long.parseLong(m.group(1)) * 1024;
      used += Long.parseLong(m.group(2)) * 1024;
      found = true;
    }
    if (!found) {
      throw new IllegalStateException("cannot read the heap use of process " + pid + " from:\n" + info);
    }
    return new Heap(used, total);
  }

  /** Returns the live objects of {@code pid} per class (a full GC runs first). */
  static Map<String, ClassUse> classHistogram(long pid) {
    Map<String, ClassUse> classes = new LinkedHashMap<>();
    for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
      Matcher m = HISTOGRAM_ROW.matcher(line);
      if (m.matches()) {
        String name = m.group(3);
        classes.merge(
            name,
            new ClassUse(name, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
            (a, b) -> new ClassUse(name, a.instances() + b.instances(), a.bytes() + b.bytes()));
      }
    }
    return classes;
  }

  /** Returns the classes whose bytes grew most from {@code before} to {@code after}, biggest first. */
  static List<ClassUse> growth(Map<String, ClassUse> before, Map<String, ClassUse> after, int top) {
    List<ClassUse> grown = new ArrayList<>();
    after.forEach(
        (name, use) -> {
          ClassUse old = before.getOrDefault(name, new ClassUse(name, 0, 0));
          grown.add(new ClassUse(name, use.instances() - old.instances(), use.bytes() - old.bytes()));
        });
    grown.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
    return grown.subList(0, Math.min(top, grown.size()));
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String executable = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
    Path output = null;
    try {
      output = Files.createTempFile("bench-jcmd-", ".txt");
      Process process =
          new ProcessBuilder(executable, String.valueOf(pid), command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("jcmd " + pid + " " + command + " did not finish in " + JCMD_TIMEOUT_SECONDS + " s");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed (" + process.exitValue() + "):\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run jcmd (a JDK is needed for the memory scenario)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running jcmd", e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // A temp file left behind is harmless.
        }
      }
    }
  }
}
