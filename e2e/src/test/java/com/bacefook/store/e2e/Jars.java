package com.bacefook.store.e2e;

import java.nio.file.Path;

/** Where the built jars are: under the repo root, the parent of this module's folder. */
public final class Jars {
  private Jars() {}

  /** Returns the repo root: the {@code bacefook.repo.root} property, else the parent of the cwd. */
  public static Path repoRoot() {
    String configured = System.getProperty("bacefook.repo.root");
    Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
    return root.toAbsolutePath().normalize();
  }

  /** Returns {@code shardmaster/target/shardmaster.jar}. */
  public static Path shardmaster() {
    return repoRoot().resolve("shardmaster/target/shardmaster.jar");
  }

  /** Returns {@code shardkv/target/shardkv.jar}. */
  public static Path shardkv() {
    return repoRoot().resolve("shardkv/target/shardkv.jar");
  }

  /** Returns {@code client-cli/target/client.jar}. */
  public static Path client() {
    return repoRoot().resolve("client-cli/target/client.jar");
  }
}
