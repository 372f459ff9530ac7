package com.bacefook.store.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A shardmaster and shardkv servers started from this repository's jars on free loopback ports, each
 * its own JVM logging to a file. Nothing is joined here. {@link #close} stops them all; so does a
 * shutdown hook if the bench is interrupted (Ctrl-C) or fails first.
 */
final class LocalCluster implements AutoCloseable {
  static final String LOOPBACK = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;

  /**
   * How to start the processes.
   *
   * @param javaOptions extra JVM options for every server (for example {@code -Xmx4g})
   * @param logDir where each process's log goes
   * @param jfrDir if not null, each server records a JFR profile there, written when it stops
   * @param dataDir if not null, each shardkv keeps its data durably in {@code shardkv-<port>} under it
   *     ({@code --data-dir}); else in memory
   * @param replicas members per shardkv: 1 runs plain servers; more runs each as a replica group of
   *     that many members ({@code --group}), which needs {@code dataDir}
   */
  record Settings(Path repo, List<String> javaOptions, Path logDir, Path jfrDir, Path dataDir, int replicas) {
    Settings {
      if (replicas < 1 || (replicas > 1 && dataDir == null)) {
        throw new IllegalArgumentException("replica groups need at least 1 member and a --data-dir");
      }
    }
  }

  private final Settings settings;
  private final List<ServerProcess> processes = Collections.synchronizedList(new ArrayList<>());
  private final List<ServerProcess> shardkvs = new ArrayList<>();
  private final Thread shutdownHook =
      new Thread(
          () -> {
            stopAll();
            deleteJarCopies();
          },
          "bench-stop-local-cluster");
  private int shardmasterPort;
  private boolean closed;
  private Path shardmasterJar;
  private Path shardkvJar;

  private LocalCluster(Settings settings) {
    this.settings = settings;
  }

  /**
   * Starts a shardmaster and {@code servers} shardkv servers (or replica groups, each of {@code
   * replicas} members that join the shardmaster by themselves), and waits until each is listening.
   */
  static LocalCluster start(Settings settings, int servers, Progress progress) {
    LocalCluster cluster = new LocalCluster(settings);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      long start = System.nanoTime();
      cluster.copyJars();
      cluster.startShardmaster();
      if (settings.replicas() == 1) {
        cluster.startShardkvs(servers);
      } else {
        cluster.startGroups(servers);
      }
      progress.note(
          "started a shardmaster on %s and %d shardkv (%s) in %.1f s; logs in %s",
          cluster.shardmasterAddress(),
          servers * settings.replicas(),
          String.join(", ", cluster.shardkvNames()),
          (System.nanoTime() - start) / 1e9,
          settings.logDir());
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  String shardmasterAddress() {
    return LOOPBACK + ":" + shardmasterPort;
  }

  List<ServerProcess> shardkvs() {
    return List.copyOf(shardkvs);
  }

  /** The process ids of everything started here. */
  List<Long> pids() {
    synchronized (processes) {
      return processes.stream().map(ServerProcess::pid).toList();
    }
  }

  List<String> shardkvNames() {
    return shardkvs.stream().map(ServerProcess::name).toList();
  }

  /**
   * Runs the servers from copies of the jars: a rebuild of the repository while the bench runs would
   * otherwise rewrite the files under running JVMs, which then fail to load classes.
   */
  private void copyJars() {
    Path dir = settings.logDir().resolve("jars");
    try {
      Files.createDirectories(dir);
      shardmasterJar = Files.copy(Repo.shardmasterJar(settings.repo()), dir.resolve("shardmaster.jar"), StandardCopyOption.REPLACE_EXISTING);
      shardkvJar = Files.copy(Repo.shardkvJar(settings.repo()), dir.resolve("shardkv.jar"), StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(
          e.getFile() + " does not exist: build the jars first (mvn -B package -DskipTests at the repo root),"
              + " or point --repo at the repository");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the server jars to " + dir, e);
    }
  }

  /** Where the jars the servers run from are. */
  Path shardmasterJar() {
    return shardmasterJar;
  }

  Path shardkvJar() {
    return shardkvJar;
  }

  private void startShardmaster() {
    IntFunction<List<String>> args = port -> List.of(String.valueOf(port));
    Launched launched =
        awaitReady(launch("shardmaster", shardmasterJar, args), "listening on");
    shardmasterPort = launched.port();
  }

  private void startShardkvs(int count) {
    List<Launched> launched = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      launched.add(launch("shardkv", shardkvJar, port -> shardkvArgs(port, List.of())));
    }
    awaitShardkvs(launched);
  }

  /**
   * Starts {@code count} replica groups {@code g1…}, each of {@link Settings#replicas} members {@code
   * m1…} with Raft ports of their own, every member with {@code --join}: each group joins the
   * shardmaster once it has a leader.
   */
  private void startGroups(int count) {
    List<Launched> launched = new ArrayList<>();
    for (int g = 1; g <= count; g++) {
      StringBuilder peers = new StringBuilder();
      for (int m = 1; m <= settings.replicas(); m++) {
        peers.append(m == 1 ? "" : ",").append("m").append(m).append(':').append(LOOPBACK).append(':').append(FreePort.next());
      }
      for (int m = 1; m <= settings.replicas(); m++) {
        List<String> group =
            List.of("--group", "g" + g, "--raft-id", "m" + m, "--raft-peers", peers.toString(), "--join");
        launched.add(launch("shardkv", shardkvJar, port -> shardkvArgs(port, group)));
      }
    }
    awaitShardkvs(launched);
  }

  private List<String> shardkvArgs(int port, List<String> extra) {
    List<String> list =
        new ArrayList<>(
            List.of(String.valueOf(port), LOOPBACK, String.valueOf(shardmasterPort), "--advertise", LOOPBACK + ":" + port));
    if (settings.dataDir() != null) {
      list.addAll(List.of("--data-dir", settings.dataDir().resolve("shardkv-" + port).toString()));
    }
    list.addAll(extra);
    return list;
  }

  private void awaitShardkvs(List<Launched> launched) {
    for (Launched server : launched) {
      shardkvs.add(awaitReady(server, "listening on port").process());
    }
  }

  private record Launched(ServerProcess process, int port, String role, Path jar, IntFunction<List<String>> args) {}

  private Launched launch(String role, Path jar, IntFunction<List<String>> args) {
    int port = FreePort.next();
    String name = role.equals("shardkv") ? LOOPBACK + ":" + port : role + "-" + port;
    String fileName = role + "-" + port;
    List<String> javaOptions = new ArrayList<>();
    // The role's options (and a group member's) as run-cluster.sh and the Docker image use them;
    // --server-java-opts after them wins.
    Path roleOptions = settings.repo().resolve("jvm-options").resolve(role + ".options");
    if (Files.isRegularFile(roleOptions)) {
      javaOptions.add("@" + roleOptions);
    }
    Path memberOptions = settings.repo().resolve("jvm-options").resolve("shardkv-member.options");
    if (role.equals("shardkv") && settings.replicas() > 1 && Files.isRegularFile(memberOptions)) {
      javaOptions.add("@" + memberOptions);
    }
    javaOptions.addAll(settings.javaOptions());
    if (settings.jfrDir() != null) {
      javaOptions.add(
          "-XX:StartFlightRecording=filename=" + settings.jfrDir().resolve(fileName + ".jfr")
              + ",settings=profile,dumponexit=true");
    }
    ServerProcess process =
        ServerProcess.start(name, jar, javaOptions, args.apply(port), settings.logDir().resolve(fileName + ".log"));
    processes.add(process);
    return new Launched(process, port, role, jar, args);
  }

  /** Waits for the ready line; a start that lost its port to another process is tried on another. */
  private Launched awaitReady(Launched first, String readyText) {
    Launched current = first;
    for (int attempt = 1; ; attempt++) {
      try {
        current.process().awaitOutput(readyText, READY_TIMEOUT);
        return current;
      } catch (IllegalStateException e) {
        current.process().requestStop();
        current.process().awaitStop(STOP_GRACE);
        if (attempt >= START_ATTEMPTS || !current.process().output().contains("Address already in use")) {
          throw e;
        }
        current = launch(current.role(), current.jar(), current.args());
      }
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (processes) {
      for (ServerProcess p : processes) {
        p.exitCode().ifPresent(code -> System.err.println(
            "bench: " + p.name() + " had ended on its own before the bench stopped it (exit code " + code
                + (code > 128 ? ", signal " + (code - 128) : "") + "); its log: " + p.log()));
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running or about to, and stops the processes.
    }
    stopAll();
    deleteJarCopies();
  }

  private void deleteJarCopies() {
    for (Path jar : new Path[] {shardmasterJar, shardkvJar}) {
      try {
        if (jar != null) {
          Files.deleteIfExists(jar);
        }
      } catch (IOException e) {
        // A copy left in target/ is harmless.
      }
    }
    try {
      Files.deleteIfExists(settings.logDir().resolve("jars"));
    } catch (IOException e) {
      // Not empty or already gone: harmless.
    }
  }

  private void stopAll() {
    List<ServerProcess> all;
    synchronized (processes) {
      all = new ArrayList<>(processes);
    }
    Collections.reverse(all);
    all.forEach(ServerProcess::requestStop);
    all.forEach(p -> p.awaitStop(STOP_GRACE));
  }
}
