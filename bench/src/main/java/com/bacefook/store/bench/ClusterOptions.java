package com.bacefook.store.bench;

import com.bacefook.store.security.Security;
import com.bacefook.store.security.SecurityFlags;
import com.bacefook.store.sharding.Configuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Which cluster to drive: one already running, or one the bench starts from this repository's jars. */
final class ClusterOptions {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--shardmaster",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      description =
          "Drive the cluster of this shardmaster, or of these members of a replicated one (its servers"
              + " must be joined already).")
  String shardmaster;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "With --shardmaster: this client's TLS certificate (PEM).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "With --shardmaster: the key of --tls-cert (PEM, PKCS#8).")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "With --shardmaster: the CA of the cluster's certificates (PEM).")
  Path tlsCa;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description = "With --shardmaster: the admin token (or BACEFOOK_ADMIN_TOKEN), for scenarios that join or move.")
  Path adminTokenFile;

  @Option(
      names = "--client-token-file",
      paramLabel = "FILE",
      description = "With --shardmaster: the client token (or BACEFOOK_CLIENT_TOKEN).")
  Path clientTokenFile;

  @Option(
      names = "--start-local",
      arity = "0..1",
      fallbackValue = "0",
      paramLabel = "N",
      description =
          "Start a shardmaster and N shardkv servers from this repository's jars on free loopback ports,"
              + " join them, and stop them at the end (N defaults to the scenario's: steady 3, single 1,"
              + " migrate 2, gdpr 3, memory 1).")
  Integer startLocal;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description = "Repository root holding shardmaster/ and shardkv/ (default: found from the jar's location).")
  Path repo;

  @Option(
      names = "--server-java-opts",
      paramLabel = "OPTIONS",
      description = "JVM options for the servers --start-local starts, space-separated, such as \"-Xmx4g\".")
  String serverJavaOptions = "";

  @Option(
      names = "--jfr",
      paramLabel = "DIR",
      description = "With --start-local: each server records a JFR profile (settings=profile) into DIR.")
  Path jfrDir;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "With --start-local: each shardkv keeps its data durably under DIR (--data-dir DIR/shardkv-<port>),"
              + " every write synced before it is acknowledged; default: in memory.")
  Path dataDir;

  @Option(
      names = "--replicas",
      paramLabel = "R",
      description =
          "With --start-local and --data-dir: run each shardkv as a replica group of R members (Apache Ratis);"
              + " the groups join by themselves. Default 1: plain servers.")
  int replicas = 1;

  /** Returns the TLS and tokens the options name, through the servers' own flag parser. */
  private Security security() {
    List<String> args = new ArrayList<>();
    addFlag(args, "--tls-cert", tlsCert);
    addFlag(args, "--tls-key", tlsKey);
    addFlag(args, "--tls-ca", tlsCa);
    addFlag(args, "--admin-token-file", adminTokenFile);
    addFlag(args, "--client-token-file", clientTokenFile);
    return SecurityFlags.parse(args.toArray(String[]::new), System.getenv()).security();
  }

  private static void addFlag(List<String> args, String flag, Path file) {
    if (file != null) {
      args.add(flag);
      args.add(file.toString());
    }
  }

  /**
   * Connects to the cluster: the given shardmaster, or a local cluster of {@code defaultServers} (unless
   * {@code --start-local N} says otherwise) of which all but the last {@code unjoined} are joined in order.
   */
  Cluster connect(RunContext context, int defaultServers, int unjoined) {
    if ((shardmaster == null) == (startLocal == null)) {
      throw new IllegalArgumentException("give exactly one of --shardmaster HOST:PORT and --start-local [N]");
    }
    if (shardmaster != null) {
      if (jfrDir != null || dataDir != null || !serverJavaOptions.isBlank() || replicas != 1) {
        throw new IllegalArgumentException(
            "--jfr, --data-dir, --replicas and --server-java-opts apply only with --start-local");
      }
      Cluster cluster = new Cluster(shardmaster, null, security());
      try {
        Configuration config = cluster.configuration();
        context.progress().note("shardmaster %s: configuration #%d %s", shardmaster, config.number(), config.servers());
        return cluster;
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }
    if (tlsCert != null || tlsKey != null || tlsCa != null || adminTokenFile != null || clientTokenFile != null) {
      throw new IllegalArgumentException("the TLS and token options apply only with --shardmaster");
    }
    if (replicas != 1 && (replicas < 1 || replicas > 7 || dataDir == null || unjoined > 0)) {
      throw new IllegalArgumentException(
          "--replicas takes 1 to 7, needs --data-dir, and applies only to scenarios that join every server");
    }
    int servers = startLocal == 0 ? defaultServers : startLocal;
    if (servers < 1 + unjoined || servers > 32) {
      throw new IllegalArgumentException(
          "--start-local needs between " + (1 + unjoined) + " and 32 servers for this scenario, got " + servers);
    }
    List<String> javaOptions =
        serverJavaOptions.isBlank() ? List.of() : Arrays.asList(serverJavaOptions.trim().split("\\s+"));
    Path jfr = jfrDir == null ? null : jfrDir.toAbsolutePath();
    LocalCluster local =
        LocalCluster.start(
            new LocalCluster.Settings(
                context.repo(), javaOptions, context.logDir(), jfr, dataDir == null ? null : dataDir.toAbsolutePath(), replicas),
            servers,
            context.progress());
    Cluster cluster = new Cluster(local.shardmasterAddress(), local);
    try {
      long start = System.nanoTime();
      if (replicas > 1) {
        awaitGroupsListed(cluster, servers);
        cluster.awaitServing(READY_TIMEOUT);
        Configuration config = cluster.configuration();
        context.progress().note(
            "%d groups of %d joined; every range served after %.1f s: configuration #%d %s",
            servers, replicas, (System.nanoTime() - start) / 1e9, config.number(), config.servers());
        return cluster;
      }
      List<String> names = local.shardkvNames();
      // One at a time: each join waits until its configuration is served. Joins in quick succession
      // can leave a range waiting for the servers' handoff timeout (see bench/README.md).
      for (String name : names.subList(0, names.size() - unjoined)) {
        cluster.shardmaster().join(name);
        cluster.awaitServing(READY_TIMEOUT);
      }
      Configuration config = cluster.configuration();
      context.progress().note(
          "joined %d servers; every range served after %.1f s: configuration #%d %s",
          names.size() - unjoined, (System.nanoTime() - start) / 1e9, config.number(), config.servers());
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Waits until the shardmaster lists {@code groups} servers: each group under its leader. */
  private static void awaitGroupsListed(Cluster cluster, int groups) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (cluster.configuration().servers().size() < groups) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the groups did not all join within " + READY_TIMEOUT + ": " + cluster.configuration().servers());
      }
      Clock.parkUntil(System.nanoTime() + 50_000_000);
    }
  }

  boolean isLocal() {
    return startLocal != null;
  }
}
