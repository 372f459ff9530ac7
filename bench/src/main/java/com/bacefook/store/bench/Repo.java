package com.bacefook.store.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root, where the server jars and {@code bench/target} live. */
final class Repo {
  private Repo() {}

  /**
   * Returns {@code override} if given; else the {@code bacefook.repo.root} system property; else the
   * root derived from where this class was loaded ({@code <root>/bench/target/bench.jar} or {@code
   * <root>/bench/target/classes}); else the working directory.
   */
  static Path locate(Path override) {
    if (override != null) {
      return override.toAbsolutePath().normalize();
    }
    String property = System.getProperty("bacefook.repo.root");
    if (property != null) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    try {
      Path location =
          Path.of(Repo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
      Path target = location.getParent();
      if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
          && target.getParent() != null && target.getParent().getParent() != null) {
        Path root = target.getParent().getParent();
        if (Files.isDirectory(root.resolve("shardkv"))) {
          return root.normalize();
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // Loaded from somewhere without a file location: fall back to the working directory.
    }
    return Path.of("").toAbsolutePath();
  }

  /** The commit checked out at {@code root}, read from {@code .git} (no git command runs), or "unknown". */
  static String head(Path root) {
    try {
      Path git = root.resolve(".git");
      String head = Files.readString(git.resolve("HEAD")).trim();
      if (!head.startsWith("ref: ")) {
        return head;
      }
      String ref = head.substring(5);
      Path loose = git.resolve(ref);
      if (Files.exists(loose)) {
        return Files.readString(loose).trim();
      }
      for (String line : Files.readAllLines(git.resolve("packed-refs"))) {
        if (line.endsWith(" " + ref)) {
          return line.substring(0, line.indexOf(' '));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not a git checkout, or an unusual one: the results just say so.
    }
    return "unknown";
  }

  /** {@code sha256:<12 hex> <size> bytes, modified <time>} of a jar, so results say which build ran. */
  static String describe(Path jar) {
    try (InputStream in = Files.newInputStream(jar)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
      String hex = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
      return "sha256:" + hex + " " + Files.size(jar) + " bytes, modified " + Files.getLastModifiedTime(jar);
    } catch (IOException | NoSuchAlgorithmException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  static Path shardmasterJar(Path root) {
    return root.resolve("shardmaster/target/shardmaster.jar");
  }

  static Path shardkvJar(Path root) {
    return root.resolve("shardkv/target/shardkv.jar");
  }
}
