package com.bacefook.store.shardkv;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.metrics.MetricsEndpoint;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.RangeStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.BoundedErrors;
import com.bacefook.store.rpc.ChannelFactory;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.Erasure;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.rpc.ListenAddress;
import com.bacefook.store.rpc.RequestIds;
import com.bacefook.store.security.Security;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.Quote;
import com.google.common.base.Ticker;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.protobuf.Empty;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops one storage server: the gRPC service, the heartbeat and the migration sender.
 * Run with {@code java -jar shardkv.jar <PORT> <SHARDMASTER_HOST> <SHARDMASTER_PORT>}; see {@link
 * ShardkvMain}.
 */
public final class ShardkvServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardkvServer.class);

  /** How long the sender of an overdue handoff has to answer whether it is still there. */
  private static final Duration SENDER_CHECK_DEADLINE = Duration.ofSeconds(2);

  /** Largest request or reply, in bytes; larger ones get {@code RESOURCE_EXHAUSTED}. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  /**
   * How a server runs.
   *
   * @param heartbeat how often it asks the shardmaster for the latest configuration
   * @param handoffTimeout how long it waits for a gained range's handoff before serving it anyway
   * @param safeHandoff false only in tests that show what goes wrong without the handoff protocol:
   *     gained ranges are then served at once and handed-off keys overwrite what is there
   * @param dataDir where keys and handoff state are kept durably (RocksDB), or null to keep them in
   *     memory only
   * @param metricsPort the port of the Prometheus {@code /metrics} endpoint, or -1 for none
   * @param group the replica group this server is a member of, or null for a group of one (then it
   *     serves on its own, as before replica groups existed); a member keeps its Raft log and
   *     snapshots in {@code dataDir}, which it needs
   */
  public record Options(
      Duration heartbeat,
      Duration handoffTimeout,
      boolean safeHandoff,
      Path dataDir,
      int metricsPort,
      GroupSettings group) {
    /**
     * Heartbeat every 100 ms, wait up to 10 s for a handoff, safe handoff on, in memory, no metrics,
     * no replica group.
     */
    public static final Options DEFAULT =
        new Options(Duration.ofMillis(100), Duration.ofSeconds(10), true, null, -1, null);

    /** Checks that a replica group member has a data directory. */
    public Options {
      if (group != null && dataDir == null) {
        throw new IllegalArgumentException(
            "a replica group member needs --data-dir for its Raft log and snapshots");
      }
    }

    /** Returns these options with {@code heartbeat}. */
    public Options withHeartbeat(Duration heartbeat) {
      return new Options(heartbeat, handoffTimeout, safeHandoff, dataDir, metricsPort, group);
    }

    /** Returns these options with {@code handoffTimeout}. */
    public Options withHandoffTimeout(Duration handoffTimeout) {
      return new Options(heartbeat, handoffTimeout, safeHandoff, dataDir, metricsPort, group);
    }

    /** Returns these options with safe handoff on or off. */
    public Options withSafeHandoff(boolean safeHandoff) {
      return new Options(heartbeat, handoffTimeout, safeHandoff, dataDir, metricsPort, group);
    }

    /** Returns these options keeping data durably in {@code dataDir} (null: in memory). */
    public Options withDataDir(Path dataDir) {
      return new Options(heartbeat, handoffTimeout, safeHandoff, dataDir, metricsPort, group);
    }

    /** Returns these options making the server a member of replica group {@code group}. */
    public Options withGroup(GroupSettings group) {
      return new Options(heartbeat, handoffTimeout, safeHandoff, dataDir, metricsPort, group);
    }

    /** Returns these options serving metrics on {@code metricsPort} (-1: none, 0: any free port). */
    public Options withMetricsPort(int metricsPort) {
      return new Options(heartbeat, handoffTimeout, safeHandoff, dataDir, metricsPort, group);
    }
  }

  /**
   * The clock of a replica group member's handoff timeouts: the leader's reading travels in the log,
   * so every member, and a later leader, must read comparable times.
   */
  private static final Ticker WALL_CLOCK =
      new Ticker() {
        @Override
        public long read() {
          return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        }
      };

  private final String name;
  private final Server server;
  private final ChannelPool channels;
  private final Persistence persistence;
  private final KeyValueStore store;
  private final Ownership ownership;
  private final ConfigWalker walker;
  private final HandoffSender sender;
  private final HandoffReceiver receiver;
  private final ShardkvService service;
  /** The server's replica group, or null if it serves on its own. */
  private final ReplicaGroup group;
  private final HealthStatusManager health = new HealthStatusManager();
  private final MetricsEndpoint metrics;
  /** Runs the handlers' work that calls another server or waits, off the event loops. */
  private final ExecutorService blocking =
      Executors.newCachedThreadPool(
          new ThreadFactoryBuilder().setNameFormat("shardkv-work-%d").setDaemon(true).build());

  /**
   * Creates a server called {@code name} ({@code host:port} as others reach it), served by {@code
   * builder}, that follows the shardmaster at {@code shardmasterAddress} (a replicated one's members:
   * {@code HOST:PORT,HOST:PORT,...}) over plaintext Netty.
   */
  public ShardkvServer(
      ServerBuilder<?> builder, String name, String shardmasterAddress, Options options) {
    this(builder, name, shardmasterAddress, options, Security.NONE);
  }

  /**
   * Creates a server as above that checks every call's token against {@code security} and reaches the
   * shardmaster and its peers through channels it secures (the builder carries the TLS credentials).
   */
  public ShardkvServer(
      ServerBuilder<?> builder,
      String name,
      String shardmasterAddress,
      Options options,
      Security security) {
    this(
        builder,
        name,
        shardmasterAddress,
        options,
        security,
        security.channelFactory(),
        Ticker.systemTicker());
  }

  /**
   * Creates an open server like {@link #ShardkvServer(ServerBuilder, String, String, Options)} whose
   * channels to the shardmaster and other servers {@code channelFactory} builds (in tests: in-process).
   */
  public ShardkvServer(
      ServerBuilder<?> builder,
      String name,
      String shardmasterAddress,
      Options options,
      ChannelFactory channelFactory) {
    this(
        builder,
        name,
        shardmasterAddress,
        options,
        Security.NONE,
        channelFactory,
        Ticker.systemTicker());
  }

  /** As above, measuring handoff timeouts on {@code ticker} (tests move it by hand). */
  ShardkvServer(
      ServerBuilder<?> builder,
      String name,
      String shardmasterAddress,
      Options options,
      ChannelFactory channelFactory,
      Ticker ticker) {
    this(builder, name, shardmasterAddress, options, Security.NONE, channelFactory, ticker);
  }

  private ShardkvServer(
      ServerBuilder<?> builder,
      String name,
      String shardmasterAddress,
      Options options,
      Security security,
      ChannelFactory channelFactory,
      Ticker ticker) {
    this.name = name;
    this.channels = new ChannelPool(channelFactory);
    // A replica group member keeps everything in its Raft log and snapshots, not in RocksDB.
    this.persistence =
        new GuardedPersistence(
            name,
            options.dataDir() == null || options.group() != null
                ? Persistence.NONE
                : RocksPersistence.open(options.dataDir()));
    Persistence.Loaded loaded = persistence.load();
    this.store = new KeyValueStore(persistence, loaded.keys());
    byte[] savedOwnership = loaded.state().get(StateRecords.OWNERSHIP);
    this.ownership =
        new Ownership(
            options.group() == null ? name : options.group().name(),
            options.safeHandoff(),
            persistence,
            savedOwnership == null ? null : StateRecords.decodeOwnership(savedOwnership),
            options.group() == null ? ticker : WALL_CLOCK);
    ShardmasterClient shardmaster =
        new ShardmasterClient(ShardmasterAddresses.split(shardmasterAddress), channels::channel);
    ConfigCache configs = new ConfigCache(name, shardmaster);
    this.group = options.group() == null ? null : startGroup(options, shardmaster);
    StoreAccess access = group == null ? new LocalAccess(store, ownership) : group;
    this.sender =
        new HandoffSender(
            name, store, ownership, persistence, channels, group == null ? null : group::finishHandoff);
    this.walker =
        new ConfigWalker(
            name,
            configs,
            ownership,
            group == null ? ConfigWalker.Steps.local(ownership) : group,
            waited -> checkSender(configs, waited),
            sender,
            options.heartbeat(),
            options.handoffTimeout(),
            StateRecords.outgoing(loaded.state()));
    this.receiver =
        new HandoffReceiver(
            name,
            store,
            ownership,
            configs,
            persistence,
            loaded.state(),
            options.safeHandoff(),
            this::confirmWithSender,
            walker::kick,
            group == null ? null : group::installHandoff);
    if (!loaded.keys().isEmpty() || !loaded.state().isEmpty()) {
      log.info("{}: loaded {} keys from {}", name, loaded.keys().size(), options.dataDir());
    }
    SocialGraph graph = new SocialGraph(access, ownership, new StoreClient(walker, channels));
    this.service =
        new ShardkvService(
            store, ownership, access, graph, receiver, sender, this::status, blocking);
    this.metrics =
        options.metricsPort() < 0
            ? MetricsEndpoint.disabled()
            : MetricsEndpoint.onPort(options.metricsPort());
    registerGauges(metrics.registry());
    // Handlers run on the event loop that read the request (no hand-off to an executor and back):
    // they never block there, see ShardkvService.
    this.server =
        builder
            .directExecutor()
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .addService(
                ServerInterceptors.intercept(
                    service,
                    Handoff.serverInterceptor(),
                    Erasure.serverInterceptor(),
                    RequestIds.serverInterceptor(),
                    new BoundedErrors(),
                    security.interceptor(),
                    metrics.grpcInterceptor()))
            .addService(ServerInterceptors.intercept(health.getHealthService(), security.interceptor()))
            .build();
  }

  /** Starts this server's member of its replica group, applying the group's log to the store. */
  private ReplicaGroup startGroup(Options options, ShardmasterClient shardmaster) {
    try {
      return ReplicaGroup.start(
          options.group(), name, options.dataDir(), store, ownership, shardmaster);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start member " + options.group().raftId() + " of replica group "
              + options.group().name() + ": " + e.getMessage(),
          e);
    }
  }

  private void registerGauges(MeterRegistry registry) {
    Tags server = Tags.of("server", name);
    Gauge.builder("shardkv.keys", store, KeyValueStore::size).tags(server)
        .description("keys held, including any not yet handed off").register(registry);
    Gauge.builder("shardkv.bytes", store, KeyValueStore::bytes).tags(server)
        .description("bytes (UTF-8) of keys and values held").register(registry);
    Gauge.builder("shardkv.config.number", ownership, o -> o.applied().number()).tags(server)
        .description("the configuration this server acts on").register(registry);
    Gauge.builder("shardkv.handoffs.sending", sender, HandoffSender::inProgress).tags(server)
        .description("handoffs to other servers under way").register(registry);
    Gauge.builder("shardkv.handoffs.waiting", ownership, o -> o.waiting().size()).tags(server)
        .description("gained ranges waiting for their handoff").register(registry);
    for (RangeTable.State state : RangeTable.State.values()) {
      if (state != RangeTable.State.NOT_OWNED) {
        Gauge.builder("shardkv.ranges", ownership, o -> o.table().rangeCount(state))
            .tags(server.and("state", state.label()))
            .description("ranges of key IDs in each state (see docs/handoff.md)")
            .register(registry);
      }
    }
    FunctionCounter.builder("shardkv.requests.served", service, ShardkvService::requestsServed)
        .tags(server).description("client Get/Put/Append/Delete requests answered").register(registry);
    FunctionCounter.builder("shardkv.keys.handed.off", sender, HandoffSender::keysHandedOff)
        .tags(server).description("keys handed to other servers").register(registry);
    if (group != null) {
      FunctionCounter.builder("shardkv.group.read.indexes", this, ShardkvServer::readIndexesTaken)
          .tags(server)
          .description("read indexes taken (each confirms leadership for the reads waiting on it)")
          .register(registry);
    }
  }

  /** Returns what this server holds and is doing. */
  public ServerStatus status() {
    ServerStatus.Builder status =
        ServerStatus.newBuilder()
            .setServer(name)
            .setConfigNum(ownership.applied().number())
            .setLatestConfigNum(ownership.latest().number())
            .setKeys(store.size())
            .setBytes(store.bytes())
            .setHandoffsSending(sender.inProgress())
            // A replica group member's writes are in its group's Raft log (on disk) before they are
            // acknowledged.
            .setDurable(group != null || persistence.durable())
            .setRequestsServed(service.requestsServed());
    if (group != null) {
      group.describe(status);
    }
    RangeTable table = ownership.table();
    for (RangeTable.Handoff waiting : table.waiting()) {
      waiting.ids().ranges().forEach(r -> status.addWaitingFor(ProtoConfigurations.toProto(r)));
    }
    for (RangeTable.RangeState range : table.ranges()) {
      RangeTable.Entry entry = range.entry();
      HandoffProgress progress =
          switch (entry.state()) {
            case SENDING -> sender.progress(entry.configNumber(), entry.peer());
            case WAITING -> receiver.progress(entry.configNumber(), entry.peer());
            default -> HandoffProgress.UNKNOWN;
          };
      status.addRanges(
          RangeStatus.newBuilder()
              .setShard(ProtoConfigurations.toProto(range.range()))
              .setState(entry.state().label())
              .setPeer(entry.peer())
              .setConfigNum(entry.configNumber())
              .setKeysTotal(progress.keysTotal())
              .setKeysDone(progress.keysDone()));
    }
    return status.build();
  }

  /** Returns the port of the metrics endpoint, or -1 if there is none. */
  public int metricsPort() {
    return metrics.port();
  }

  /**
   * Asks every address of the sender of {@code waited} (each member of a replica group), all at once,
   * for its status, and judges from the answers whether it is still there ({@link SenderLiveness}).
   * The sender is looked up in the configuration before the move, or, if that cannot be had, taken
   * for a server on its own.
   */
  private SenderLiveness.Verdict checkSender(ConfigCache configs, RangeTable.Handoff waited) {
    Configuration before;
    try {
      before = configs.get(waited.configNumber() - 1);
    } catch (StatusRuntimeException e) {
      before = Configuration.EMPTY;
    }
    SenderLiveness sender = SenderLiveness.of(before, waited.peer());
    Map<String, ListenableFuture<ServerStatus>> calls = new LinkedHashMap<>();
    for (String address : sender.addresses()) {
      calls.put(
          address,
          ShardkvGrpc.newFutureStub(channels.channel(address))
              .withDeadlineAfter(SENDER_CHECK_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .status(Empty.getDefaultInstance()));
    }
    Map<String, ServerStatus> answers = new HashMap<>();
    calls.forEach(
        (address, call) -> {
          try {
            answers.put(address, Futures.getUnchecked(call));
          } catch (RuntimeException e) {
            // No answer: down, unreachable or too slow.
          }
        });
    return sender.judge(answers);
  }

  /** Asks the sender named in {@code done}, at its address, to confirm it; throws if it does not. */
  private void confirmWithSender(HandoffDone done) {
    try {
      ShardkvGrpc.newBlockingStub(channels.channel(done.getSender()))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .confirmHandoff(done);
    } catch (StatusRuntimeException e) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "handoff from " + Quote.of(done.getSender()) + " not confirmed by it: "
                  + e.getStatus().getCode())
          .asRuntimeException();
    }
  }

  /** Creates a server listening on {@code port} on all interfaces. */
  public static ShardkvServer onPort(
      int port, String name, String shardmasterAddress, Options options) {
    return onPort(port, name, shardmasterAddress, options, Security.NONE);
  }

  /** Creates a server listening on {@code port} on all interfaces, secured by {@code security}. */
  public static ShardkvServer onPort(
      int port, String name, String shardmasterAddress, Options options, Security security) {
    return new ShardkvServer(
        Grpc.newServerBuilderForPort(port, security.serverCredentials()),
        name,
        shardmasterAddress,
        options,
        security);
  }

  /**
   * Creates a server listening on {@code port} of address {@code listen} (null: all interfaces),
   * secured by {@code security}.
   */
  public static ShardkvServer onAddress(
      String listen,
      int port,
      String name,
      String shardmasterAddress,
      Options options,
      Security security) {
    return new ShardkvServer(
        ListenAddress.serverBuilder(listen, port, security.serverCredentials()),
        name,
        shardmasterAddress,
        options,
        security);
  }

  /** Starts serving and following the shardmaster; returns this. */
  public ShardkvServer start() throws IOException {
    server.start();
    walker.start();
    health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(ShardkvGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    return this;
  }

  /** Returns this server's name, as it joins the shardmaster. */
  public String name() {
    return name;
  }

  /** Returns the port it listens on. */
  public int port() {
    return server.getPort();
  }

  /** Returns the configuration this server acts on. */
  public Configuration configuration() {
    return ownership.applied();
  }

  /**
   * Returns how many read indexes this member of a replica group has taken for its readers: every
   * read on a leader waits for one (shared by the reads that arrive while the previous is taken);
   * 0 for a server of its own.
   */
  long readIndexesTaken() {
    return group == null ? 0 : group.readIndexesTaken();
  }

  /** Returns whether any handoff, in or out, is under way. */
  public boolean handoffInProgress() {
    return sender.inProgress() > 0 || !ownership.waiting().isEmpty();
  }

  /** Returns how many keys this server holds (including any not yet handed off). */
  public int keyCount() {
    return store.size();
  }

  /** Returns whether this server stores {@code key} now, whether or not it serves it. */
  public boolean holds(String key) {
    return store.get(key).isPresent();
  }

  /**
   * Stops: takes no new requests, lets those in flight finish (up to 5 s), stops the heartbeat and any
   * handoff (a restarted server resumes it from its data directory), closes channels and the store.
   */
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
    blocking.shutdown();
    walker.close();
    sender.close();
    if (group != null) {
      group.close();
    }
    channels.close();
    persistence.close();
    metrics.close();
  }

  /** Blocks until the server terminates. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }
}
