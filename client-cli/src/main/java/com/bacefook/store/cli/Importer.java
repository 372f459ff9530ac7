package com.bacefook.store.cli;

import com.bacefook.store.client.BatchResult;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.PutRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code import FILE}: writes the keys of a JSON-lines file ({@link JsonLines}) through the batch path
 * ({@link StoreClient#putMany}, one RPC per owning server per batch), printing a progress line about
 * once a second. A bad line is reported with its number and skipped, or with {@code strict} the file
 * is checked first and nothing is written if any line is bad. Every key not written is reported with
 * its line; the import only reports success when every good line was written.
 */
final class Importer {
  /** Lines sent per {@code putMany}. */
  static final int BATCH = 5000;
  private static final long PROGRESS_NANOS = 1_000_000_000L;

  private final StoreClient store;
  private final PrintWriter out;

  Importer(StoreClient store, PrintWriter out) {
    this.store = store;
    this.out = out;
  }

  /**
   * Imports {@code file}.
   *
   * @throws IllegalStateException if any line was bad or any key was not written (after printing each)
   */
  void run(Path file, boolean strict) {
    if (strict) {
      int bad = scan(file, null);
      if (bad > 0) {
        throw new IllegalStateException(
            "import of " + file + " aborted: " + bad + " bad line(s), nothing written");
      }
    }
    Progress progress = new Progress();
    int bad = scan(file, progress);
    out.println(progress.line());
    if (bad > 0 || progress.failed > 0) {
      throw new IllegalStateException(
          "import of " + file + " incomplete: " + progress.written + " keys written, " + progress.failed
              + " not written, " + bad + " bad line(s) skipped (each listed above)");
    }
    out.println("OK: imported " + progress.written + " keys from " + file);
  }

  /** Reads every line, reporting bad ones; with {@code progress}, writes the good ones. Returns bad lines. */
  private int scan(Path file, Progress progress) {
    int bad = 0;
    List<PutRequest> batch = new ArrayList<>(BATCH);
    List<Long> lines = new ArrayList<>(BATCH);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        PutRequest put;
        try {
          put = JsonLines.parse(line);
        } catch (IllegalArgumentException e) {
          bad++;
          out.println("line " + number + ": " + e.getMessage() + (progress == null ? "" : "; skipped"));
          continue;
        }
        if (progress != null) {
          batch.add(put);
          lines.add(number);
          if (batch.size() == BATCH) {
            write(batch, lines, progress);
          }
        }
      }
      if (progress != null && !batch.isEmpty()) {
        write(batch, lines, progress);
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return bad;
  }

  private void write(List<PutRequest> batch, List<Long> lines, Progress progress) {
    BatchResult result;
    try {
      result = store.putMany(batch);
    } catch (StatusRuntimeException e) {
      for (Long line : lines) {
        out.println("line " + line + ": not written: " + Formats.error(e).substring("error: ".length()));
      }
      progress.failed += batch.size();
      batch.clear();
      lines.clear();
      return;
    }
    result
        .failures()
        .forEach(
            (i, e) -> {
              Status.Code code = e.getStatus().getCode();
              boolean unknown =
                  code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
              out.println(
                  "line " + lines.get(i) + ": key " + Formats.quote(batch.get(i).getKey())
                      + (unknown ? " may not be written: " : " not written: ")
                      + Formats.error(e).substring("error: ".length()));
            });
    progress.written += result.applied();
    progress.failed += result.failures().size();
    batch.clear();
    lines.clear();
    if (System.nanoTime() - progress.printed > PROGRESS_NANOS) {
      out.println(progress.line());
      out.flush();
      progress.printed = System.nanoTime();
    }
  }

  /** Counts so far. */
  private static final class Progress {
    final long start = System.nanoTime();
    long printed = start;
    long written;
    long failed;

    String line() {
      double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
      return String.format(
          Locale.ROOT,
          "progress: %,d keys written, %,d not written, %.1f s (%,.0f keys/s)",
          written, failed, seconds, written / seconds);
    }
  }
}
