package com.bacefook.store.cli;

import com.bacefook.store.client.StoreClient;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code export [FILE]}: every key of the cluster, with its value and author, as the JSON lines {@code
 * import} reads, into FILE or, without one, onto the output. A file is written beside its target and
 * renamed into place only when the whole scan succeeded, so a failed export leaves no partial file.
 */
final class Exporter {
  /** Keys per ScanKeys page. */
  static final int PAGE = 5000;

  private final StoreClient store;
  private final PrintWriter out;

  Exporter(StoreClient store, PrintWriter out) {
    this.store = store;
    this.out = out;
  }

  void run(Path file) {
    if (file == null) {
      store.scanAll(PAGE, entry -> out.println(JsonLines.format(entry)));
      return;
    }
    Path target = file.toAbsolutePath();
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    long count;
    try {
      try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        long[] written = new long[1];
        store.scanAll(
            PAGE,
            entry -> {
              try {
                writer.write(JsonLines.format(entry));
                writer.newLine();
                written[0]++;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
        count = written[0];
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UncheckedIOException e) {
      deleteQuietly(partial);
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(partial);
      throw e;
    }
    out.println("OK: exported " + count + " keys to " + file);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // Best effort: the export already failed and says so.
    }
  }
}
