package com.bacefook.store.shardmaster;

import com.bacefook.store.client.ConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.metrics.MetricsEndpoint;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.replication.RaftPeers;
import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.rpc.BoundedErrors;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.FlagValues;
import com.bacefook.store.rpc.ListenAddress;
import com.bacefook.store.security.Security;
import com.bacefook.store.security.SecurityFlags;
import com.bacefook.store.sharding.Configuration;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts and stops the shardmaster. Run with {@code java -jar shardmaster.jar <PORT>}. */
public final class ShardmasterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardmasterServer.class);

  /** Largest request, in bytes; larger ones get {@code RESOURCE_EXHAUSTED}. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  /** The RocksDB history, or the replicated shardmaster's member: closed last. */
  private final AutoCloseable storage;
  private final ConfigurationHistory history;
  private final ChannelPool channels;
  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final MetricsEndpoint metrics;

  /** Creates a shardmaster served by {@code builder} that keeps its configurations in memory. */
  public ShardmasterServer(ServerBuilder<?> builder) {
    this(builder, null);
  }

  /** Creates a shardmaster served by {@code builder}, keeping configurations in {@code dataDir}. */
  public ShardmasterServer(ServerBuilder<?> builder, Path dataDir) {
    this(builder, dataDir, MetricsEndpoint.disabled());
  }

  /**
   * Creates a shardmaster served by {@code builder} (a Netty or in-process builder) that keeps its
   * configurations in {@code dataDir} (null: in memory only) and reports to {@code metrics}.
   *
   * @throws IllegalStateException if the data directory cannot be used
   */
  public ShardmasterServer(ServerBuilder<?> builder, Path dataDir, MetricsEndpoint metrics) {
    this(builder, dataDir, metrics, Security.NONE);
  }

  /**
   * Creates a shardmaster as above that checks every call's token against {@code security} and reaches
   * the servers through channels it secures (the builder carries the server's TLS credentials).
   *
   * @throws IllegalStateException if the data directory cannot be used
   */
  public ShardmasterServer(
      ServerBuilder<?> builder, Path dataDir, MetricsEndpoint metrics, Security security) {
    this(builder, local(dataDir), metrics, security);
  }

  /**
   * Creates member {@code settings.raftId()} of a replicated shardmaster, served by {@code builder}
   * (listening where {@code settings.address()} says), keeping its Raft log and snapshots in {@code
   * dataDir}.
   *
   * @throws IOException if the Raft server cannot start (port taken, storage unreadable)
   */
  public static ShardmasterServer replicated(
      ServerBuilder<?> builder,
      ReplicationSettings settings,
      Path dataDir,
      MetricsEndpoint metrics,
      Security security)
      throws IOException {
    ShardmasterGroup group = ShardmasterGroup.start(settings, dataDir);
    return new ShardmasterServer(
        builder, new Backing(group, group.history(), group), metrics, security);
  }

  /**
   * Where the service's configurations come from.
   *
   * @param configs what the service reads and changes
   * @param local this process's copy, read by the GDPR eraser (after {@link
   *     Configurations#checkServes}) and the metrics
   * @param storage closed with the server
   */
  private record Backing(Configurations configs, ConfigurationHistory local, AutoCloseable storage) {}

  private static Backing local(Path dataDir) {
    HistoryLog log = dataDir == null ? HistoryLog.NONE : RocksHistoryLog.open(dataDir);
    ConfigurationHistory history = new ConfigurationHistory(log);
    return new Backing(history, history, log);
  }

  private ShardmasterServer(
      ServerBuilder<?> builder, Backing backing, MetricsEndpoint metrics, Security security) {
    this.metrics = metrics;
    this.channels = new ChannelPool(security.channelFactory());
    this.storage = backing.storage();
    this.history = backing.local();
    ConfigurationSource configs =
        new ConfigurationSource() {
          @Override
          public Configuration current() {
            return history.latest();
          }

          @Override
          public Configuration refresh() {
            return history.latest();
          }
        };
    StoreClient store = new StoreClient(configs, channels);
    Gauge.builder("shardmaster.config.number", history, h -> h.latest().number())
        .description("the latest configuration's number")
        .register(metrics.registry());
    Gauge.builder("shardmaster.servers", history, h -> h.latest().servers().size())
        .description("servers in the latest configuration")
        .register(metrics.registry());
    this.server =
        builder
            .callExecutor(ShardmasterServer::executorFor)
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .addService(
                ServerInterceptors.intercept(
                    new ShardmasterService(backing.configs(), new GdprEraser(store)),
                    new BoundedErrors(),
                    security.interceptor(),
                    metrics.grpcInterceptor()))
            .addService(ServerInterceptors.intercept(health.getHealthService(), security.interceptor()))
            .build();
  }

  /**
   * Runs the reads every server sends each heartbeat (Query, QueryConfig) and health checks on the
   * event loop that received them; the rest (changes, which write to disk, and GDPRDelete, which calls
   * the servers) on gRPC's executor, so no event loop waits on another server.
   */
  private static <Q, R> Executor executorFor(ServerCall<Q, R> call, Metadata headers) {
    String method = call.getMethodDescriptor().getFullMethodName();
    return method.equals(ShardmasterGrpc.getQueryMethod().getFullMethodName())
            || method.equals(ShardmasterGrpc.getQueryConfigMethod().getFullMethodName())
            || method.startsWith(HealthGrpc.SERVICE_NAME + "/")
        ? MoreExecutors.directExecutor()
        : null;
  }

  /** Creates a shardmaster listening on {@code port} on all interfaces (0 picks a free port). */
  public static ShardmasterServer onPort(int port, Path dataDir, MetricsEndpoint metrics) {
    return onPort(port, dataDir, metrics, Security.NONE);
  }

  /** Creates a shardmaster listening on {@code port} on all interfaces, secured by {@code security}. */
  public static ShardmasterServer onPort(
      int port, Path dataDir, MetricsEndpoint metrics, Security security) {
    return new ShardmasterServer(
        Grpc.newServerBuilderForPort(port, security.serverCredentials()), dataDir, metrics, security);
  }

  /**
   * Creates a shardmaster listening on {@code port} of address {@code listen} (null: all
   * interfaces), secured by {@code security}.
   */
  public static ShardmasterServer onAddress(
      String listen, int port, Path dataDir, MetricsEndpoint metrics, Security security) {
    return new ShardmasterServer(
        ListenAddress.serverBuilder(listen, port, security.serverCredentials()),
        dataDir,
        metrics,
        security);
  }

  /** Starts serving and returns this. */
  public ShardmasterServer start() throws IOException {
    server.start();
    health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(ShardmasterGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    return this;
  }

  /** Returns the port it listens on. */
  public int port() {
    return server.getPort();
  }

  /**
   * Returns this process's copy of the configurations, for tests and embedding (a replicated
   * member's copy is current as of the last log entry it applied).
   */
  public ConfigurationHistory history() {
    return history;
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    channels.close();
    try {
      storage.close();
    } catch (Exception e) {
      log.warn("closing the shardmaster's storage failed", e);
    }
    metrics.close();
  }

  /** Blocks until the server terminates. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Entry point: {@code shardmaster <PORT> [--data-dir DIR] [--metrics-port N] [--listen ADDR]
   * [--raft-id ID --raft-peers ID:HOST:PORT,... --data-dir DIR [--snapshot-every N]
   * [--election-timeout-ms N] [--advertise HOST:PORT]]} and the {@link SecurityFlags}.
   */
  public static void main(String[] args) throws Exception {
    String usage =
        "usage: java -jar shardmaster.jar <PORT> [--data-dir DIR] [--metrics-port N]"
            + " [--listen ADDR]   (default: every interface)"
            + " [--raft-id ID --raft-peers ID:HOST:RAFTPORT,ID:HOST:RAFTPORT,ID:HOST:RAFTPORT"
            + " [--snapshot-every N] [--election-timeout-ms N] [--advertise HOST:PORT]]"
            + "   (a member of a replicated"
            + " shardmaster; needs --data-dir) "
            + SecurityFlags.USAGE;
    String listen = null;
    Path dataDir = null;
    int metricsPort = -1;
    int port = -1;
    String raftId = null;
    RaftPeers peers = null;
    String advertise = null;
    GroupMember.Options member = ShardmasterGroup.MEMBER_DEFAULTS;
    boolean memberOptionGiven = false;
    Security security;
    ReplicationSettings replication = null;
    try {
      SecurityFlags securityFlags = SecurityFlags.parse(args, System.getenv());
      security = securityFlags.security();
      args = securityFlags.rest();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--data-dir" -> dataDir = Path.of(FlagValues.value(args, ++i));
          case "--metrics-port" -> metricsPort = FlagValues.port(args, ++i);
          case "--listen" -> listen = FlagValues.value(args, ++i);
          case "--raft-id" -> raftId = FlagValues.value(args, ++i);
          case "--raft-peers" -> peers = RaftPeers.parse(FlagValues.value(args, ++i));
          case "--advertise" -> advertise = FlagValues.value(args, ++i);
          case "--snapshot-every" -> {
            member = member.withSnapshotEvery(FlagValues.number(args, ++i));
            memberOptionGiven = true;
          }
          case "--election-timeout-ms" -> {
            member =
                member.withElectionTimeout(
                    TimeDuration.valueOf(FlagValues.number(args, ++i), TimeUnit.MILLISECONDS));
            memberOptionGiven = true;
          }
          case "-h", "--help" -> {
            System.out.println(usage);
            return;
          }
          default -> {
            if (port >= 0 || args[i].startsWith("--")) {
              throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            port = Addresses.port(args[i], 0);
          }
        }
      }
      if (port < 0) {
        throw new IllegalArgumentException("missing <PORT>");
      }
      replication = replication(raftId, peers, advertise, port, dataDir, member);
      if (replication == null && memberOptionGiven) {
        throw new IllegalArgumentException(
            "--snapshot-every and --election-timeout-ms apply to a member of a replicated"
                + " shardmaster (--raft-id)");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("shardmaster: " + e.getMessage());
      System.err.println(usage);
      System.exit(2);
      return;
    }
    ShardmasterServer shardmaster;
    try {
      MetricsEndpoint metrics =
          metricsPort < 0 ? MetricsEndpoint.disabled() : MetricsEndpoint.onPort(metricsPort);
      shardmaster =
          (replication == null
                  ? ShardmasterServer.onAddress(listen, port, dataDir, metrics, security)
                  : ShardmasterServer.replicated(
                      ListenAddress.serverBuilder(listen, port, security.serverCredentials()),
                      replication,
                      dataDir,
                      metrics,
                      security))
              .start();
    } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
      // The cause says why (a bind failure hides "Address already in use" there).
      System.err.println(
          "shardmaster: cannot start: " + e.getMessage()
              + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(shardmaster::close, "shutdown"));
    String host = listen != null ? listen : InetAddress.getLocalHost().getHostName();
    System.out.println("shardmaster listening on " + host + ":" + shardmaster.port()
        + (replication != null
            ? " (member " + replication.raftId() + " of " + replication.peers()
                + ", announced as " + replication.address() + ", data in " + dataDir + ")"
            : dataDir == null
                ? " (configurations in memory only)"
                : " (data in " + dataDir + ")"));
    log.info(
        "shardmaster serving on port {} at configuration #{}",
        shardmaster.port(), shardmaster.history().latest().number());
    security.exposureWarning("shardmaster :" + shardmaster.port()).ifPresent(log::warn);
    shardmaster.awaitTermination();
  }

  /**
   * Returns the replication the flags ask for, or null without {@code --raft-id}.
   *
   * @throws IllegalArgumentException if the flags are incomplete or inconsistent
   */
  private static ReplicationSettings replication(
      String raftId,
      RaftPeers peers,
      String advertise,
      int port,
      Path dataDir,
      GroupMember.Options member) {
    if (raftId == null) {
      if (peers != null || advertise != null) {
        throw new IllegalArgumentException("--raft-peers and --advertise need --raft-id");
      }
      return null;
    }
    if (peers == null) {
      throw new IllegalArgumentException("--raft-id needs --raft-peers");
    }
    if (dataDir == null) {
      throw new IllegalArgumentException(
          "--raft-id needs --data-dir (the Raft log and snapshots live there)");
    }
    if (advertise != null) {
      return new ReplicationSettings(peers, raftId, advertise, member);
    }
    if (port == 0) {
      throw new IllegalArgumentException("--raft-id needs a <PORT> other than 0, or --advertise");
    }
    return ReplicationSettings.onRaftHost(peers, raftId, port, member);
  }

}
