package com.bacefook.store.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Checks that a data directory belongs to the role about to use it before anything touches it: a new
 * or empty directory is claimed by writing a {@code FORMAT} file naming the role; any other directory
 * must carry the same {@code FORMAT}.
 */
public final class DataDirectory {
  private static final String FORMAT_FILE = "FORMAT";

  private DataDirectory() {}

  /**
   * Claims or checks {@code dir} for {@code format} (for example {@code "BACEFOOK-SHARDKV 1"}).
   *
   * @throws IllegalStateException with a clear message if the directory is not usable for it; nothing
   *     in the directory was changed then
   */
  public static void claim(Path dir, String format) {
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IllegalStateException("data directory " + dir + " is a file, not a directory");
      }
      Path marker = dir.resolve(FORMAT_FILE);
      if (!Files.exists(dir) || isEmpty(dir)) {
        Files.createDirectories(dir);
        Files.writeString(marker, format + "\n");
        return;
      }
      if (!Files.isRegularFile(marker)) {
        throw new IllegalStateException(
            "data directory " + dir + " is not empty and has no " + FORMAT_FILE + " file: it was not"
                + " made by this program; refusing to touch it");
      }
      String found = Files.readString(marker).strip();
      if (!found.equals(format)) {
        throw new IllegalStateException(
            "data directory " + dir + " holds '" + found + "', expected '" + format
                + "'; refusing to touch it");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot use data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
