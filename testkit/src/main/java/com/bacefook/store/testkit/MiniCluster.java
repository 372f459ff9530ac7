package com.bacefook.store.testkit;

import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.metrics.MetricsEndpoint;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.replication.RaftPeers;
import com.bacefook.store.rpc.ChannelFactory;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.security.Security;
import com.bacefook.store.security.Tokens;
import com.bacefook.store.shardkv.GroupSettings;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.shardmaster.ShardmasterServer;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A shardmaster and any number of shardkv servers, real gRPC servers on 127.0.0.1 free ports in this
 * process, plus clients wired to them. Servers are started but do not join until asked. Close it to stop
 * everything it started.
 *
 * <p>A secure cluster ({@link #startSecure}, or any cluster when the system property {@code
 * bacefook.test.secure} is {@code true}) runs TLS with client certificates and all three tokens, from a
 * fresh {@link TestSecurity}; its clients hold the client certificate, admin and client tokens.
 *
 * <p>A durable cluster also runs replica groups ({@link #startGroup}): each member is a shardkv server
 * like the others, with its own Raft port and data directory, and the shardmaster lists the group under
 * its leader's name.
 *
 * <p>A cluster started with {@link #startReplicated} runs a replicated shardmaster of three members
 * instead of one ({@link #shardmasterMembers}); servers and clients are given all three addresses and
 * follow the leader ({@link #shardmasterLeader}), and a member can be stopped and restarted, wiped or
 * not ({@link #stopShardmasterMember}, {@link #restartShardmasterMember}).
 */
public final class MiniCluster implements AutoCloseable {
  private static final int BIND_ATTEMPTS = 5;
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration CONVERGENCE_DEADLINE = Duration.ofSeconds(10);
  private static final long POLL_NANOS = 5_000_000;
  private static final int SHARDMASTER_MEMBERS = 3;
  /** How long a replicated shardmaster may take to elect its first leader. */
  private static final Duration FIRST_ELECTION = Duration.ofSeconds(30);

  /** The system property that makes every cluster of a test run secure. */
  public static final String SECURE_PROPERTY = "bacefook.test.secure";

  private final ShardkvServer.Options options;
  private final Path dataRoot;
  private final TestSecurity security;
  /** The single shardmaster, or null if it is replicated. */
  private ShardmasterServer shardmaster;
  /** The replicated shardmaster's members, or null if it is a single server. */
  private final ShardmasterMembers shardmasterMembers;
  private final String shardmasterAddress;
  private final Map<String, ShardkvServer> servers = new LinkedHashMap<>();
  /** The ports of the servers {@link #stopServer} stopped, so {@link #restartServer} can start them. */
  private final Map<String, Integer> stoppedPorts = new LinkedHashMap<>();
  /** The group settings of each replica group member, by server port. */
  private final Map<Integer, GroupSettings> groupMembers = new HashMap<>();
  /** The members' names of each replica group, by group name. */
  private final Map<String, List<String>> groups = new LinkedHashMap<>();
  private final ChannelPool channels;
  private final ChannelPool anonymousChannels;
  private final ShardmasterClient shardmasterClient;

  private MiniCluster(ShardkvServer.Options options, Path dataRoot) {
    this(options, dataRoot, Boolean.getBoolean(SECURE_PROPERTY), null);
  }

  /**
   * Starts the shardmaster: a single server, or a replicated one of three members running with
   * {@code shardmasterMember} if that is given (then waits for its first leader).
   */
  private MiniCluster(
      ShardkvServer.Options options,
      Path dataRoot,
      boolean secure,
      GroupMember.Options shardmasterMember) {
    this.options = options;
    this.dataRoot = dataRoot;
    this.security = secure ? TestSecurity.create() : null;
    this.channels = new ChannelPool(channelFactory());
    this.anonymousChannels =
        new ChannelPool(new Security(clientSecurity().tls(), Tokens.NONE).channelFactory());
    if (shardmasterMember == null) {
      this.shardmaster = bind(this::newShardmaster);
      this.shardmasterMembers = null;
      this.shardmasterAddress = LOOPBACK + ":" + shardmaster.port();
    } else {
      this.shardmasterMembers =
          ShardmasterMembers.start(
              SHARDMASTER_MEMBERS,
              shardmasterMember,
              dataRoot,
              serverSecurity(),
              this::builder,
              MiniCluster::deleteTree);
      this.shardmasterAddress = String.join(",", shardmasterMembers.addresses());
    }
    this.shardmasterClient =
        new ShardmasterClient(ShardmasterAddresses.split(shardmasterAddress), channels::channel);
    if (shardmasterMembers != null) {
      try {
        awaitPresent(this::shardmasterLeader, FIRST_ELECTION, "the replicated shardmaster's leader");
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }
  }

  /** Starts a shardmaster whose servers run with {@link ShardkvServer.Options#DEFAULT}. */
  public static MiniCluster start() {
    return new MiniCluster(ShardkvServer.Options.DEFAULT, null);
  }

  /**
   * Starts a cluster whose shardmaster and servers keep their data durably in folders under {@code
   * dataRoot} ({@code shardmaster/}, and one per server port), so they can be restarted.
   */
  public static MiniCluster startDurable(Path dataRoot) {
    return new MiniCluster(ShardkvServer.Options.DEFAULT, dataRoot);
  }

  /**
   * Starts a durable cluster (as {@link #startDurable}) whose shardmaster is replicated: three members,
   * each with its own client and Raft port and its own data directory {@code shardmaster-smN} under
   * {@code dataRoot}, running with {@code shardmasterMember}. Returns once they elected a leader.
   *
   * @throws IllegalStateException if they elect none within 30 s
   */
  public static MiniCluster startReplicated(Path dataRoot, GroupMember.Options shardmasterMember) {
    Objects.requireNonNull(dataRoot, "a replicated shardmaster keeps its Raft log under dataRoot");
    return new MiniCluster(
        ShardkvServer.Options.DEFAULT,
        dataRoot,
        Boolean.getBoolean(SECURE_PROPERTY),
        shardmasterMember);
  }

  /** Starts a shardmaster whose servers heartbeat every {@code heartbeat}. */
  public static MiniCluster start(Duration heartbeat) {
    return new MiniCluster(ShardkvServer.Options.DEFAULT.withHeartbeat(heartbeat), null);
  }

  /** Starts a shardmaster whose servers run with {@code options}. */
  public static MiniCluster start(ShardkvServer.Options options) {
    return new MiniCluster(options, null);
  }

  /** Starts a secure cluster (TLS, client certificates, all tokens) whose servers run with {@code options}. */
  public static MiniCluster startSecure(ShardkvServer.Options options) {
    return new MiniCluster(options, null, true, null);
  }

  /** Returns the certificates and tokens of a secure cluster, or empty if it is open. */
  public Optional<TestSecurity> security() {
    return Optional.ofNullable(security);
  }

  /** Returns what this cluster's servers run with. */
  public Security serverSecurity() {
    return security == null ? Security.NONE : security.server();
  }

  /** Returns what this cluster's clients run with (client certificate, admin and client tokens if secure). */
  public Security clientSecurity() {
    return security == null ? Security.NONE : security.client();
  }

  /** Returns a factory of channels as this cluster's clients make them, for tests that keep their own pool. */
  public ChannelFactory channelFactory() {
    return clientSecurity().channelFactory();
  }

  private ShardmasterServer newShardmaster(int port) throws IOException {
    return new ShardmasterServer(
            builder(port), dataDir("shardmaster"), MetricsEndpoint.disabled(), serverSecurity())
        .start();
  }

  /**
   * Returns {@code 127.0.0.1:<port>} of the shardmaster, or the comma-separated client addresses of a
   * replicated shardmaster's members.
   */
  public String shardmasterAddress() {
    return shardmasterAddress;
  }

  /**
   * Returns the shardmaster server.
   *
   * @throws IllegalStateException if the shardmaster is replicated (see {@link #shardmasterMember})
   */
  public ShardmasterServer shardmaster() {
    requireSingleShardmaster();
    return shardmaster;
  }

  private void requireSingleShardmaster() {
    if (shardmasterMembers != null) {
      throw new IllegalStateException("this cluster's shardmaster is replicated: ask its members");
    }
  }

  private ShardmasterMembers replicatedShardmaster() {
    if (shardmasterMembers == null) {
      throw new IllegalStateException("this cluster's shardmaster is a single server (startReplicated)");
    }
    return shardmasterMembers;
  }

  /**
   * Returns the client addresses of the replicated shardmaster's members, running or not, or an empty
   * list if the shardmaster is a single server.
   */
  public List<String> shardmasterMembers() {
    return shardmasterMembers == null ? List.of() : shardmasterMembers.addresses();
  }

  /**
   * Returns the running member of the replicated shardmaster at {@code address}.
   *
   * @throws IllegalStateException if the shardmaster is a single server
   * @throws IllegalArgumentException if no member runs there
   */
  public ShardmasterServer shardmasterMember(String address) {
    return replicatedShardmaster().running(address);
  }

  /**
   * Returns the member of the replicated shardmaster that answers queries itself now (its leader), if
   * any.
   *
   * @throws IllegalStateException if the shardmaster is a single server
   */
  public Optional<String> shardmasterLeader() {
    return ShardmasterLeader.among(replicatedShardmaster().addresses(), channels::channel);
  }

  /**
   * Stops the replicated shardmaster's member at {@code address}, if it runs.
   *
   * @throws IllegalStateException if the shardmaster is a single server
   * @throws IllegalArgumentException if it has no member there
   */
  public void stopShardmasterMember(String address) {
    replicatedShardmaster().stop(address);
  }

  /**
   * Stops the replicated shardmaster's member at {@code address}, if it runs, and starts it again on
   * its ports; if {@code wipe}, on an emptied data directory, so it catches up from the others.
   *
   * @throws IllegalStateException if the shardmaster is a single server
   * @throws IllegalArgumentException if it has no member there
   */
  public void restartShardmasterMember(String address, boolean wipe) {
    replicatedShardmaster().restart(address, wipe);
  }

  /** Starts a new shardkv server (not joined) and returns its name, {@code 127.0.0.1:<port>}. */
  public String startServer() {
    ShardkvServer server = bind(this::newServer);
    synchronized (servers) {
      servers.put(server.name(), server);
    }
    return server.name();
  }

  private ShardkvServer newServer(int port) throws IOException {
    ShardkvServer.Options serverOptions = options.withDataDir(dataDir(Integer.toString(port)));
    GroupSettings group;
    synchronized (servers) {
      group = groupMembers.get(port);
    }
    if (group != null) {
      serverOptions = serverOptions.withGroup(group);
    }
    return new ShardkvServer(
            builder(port), "127.0.0.1:" + port, shardmasterAddress(), serverOptions, serverSecurity())
        .start();
  }

  /**
   * Starts replica group {@code name} of {@code size} members on free ports, each with {@code --join}
   * (so the group joins once it has a leader), and returns the members' names. Does not wait for the
   * group to elect a leader or join: see {@link #awaitGroupListed}.
   *
   * @throws IllegalStateException if this cluster is not durable (members keep a Raft log on disk)
   * @throws IllegalArgumentException if a group of that name was started already
   */
  public List<String> startGroup(String name, int size, GroupMember.Options member) {
    return startGroup(name, size, member, true);
  }

  /**
   * {@link #startGroup(String, int, GroupMember.Options)}, its members started with {@code --join}
   * only if {@code join} (without it, the group waits for an operator's Join).
   */
  public List<String> startGroup(
      String name, int size, GroupMember.Options member, boolean join) {
    if (dataRoot == null) {
      throw new IllegalStateException("replica groups need a durable cluster (startDurable)");
    }
    List<Integer> ports = new ArrayList<>();
    StringBuilder peers = new StringBuilder();
    for (int i = 0; i < size; i++) {
      ports.add(FreePorts.next());
      peers.append(i == 0 ? "" : ",").append("m").append(i).append(":127.0.0.1:").append(FreePorts.next());
    }
    RaftPeers raftPeers = RaftPeers.parse(peers.toString());
    List<String> names = new ArrayList<>();
    synchronized (servers) {
      if (groups.containsKey(name)) {
        throw new IllegalArgumentException("group " + name + " was started already");
      }
      for (int i = 0; i < size; i++) {
        groupMembers.put(ports.get(i), new GroupSettings(name, raftPeers, "m" + i, join, member));
        names.add("127.0.0.1:" + ports.get(i));
      }
      groups.put(name, List.copyOf(names));
    }
    for (int i = 0; i < size; i++) {
      ShardkvServer server;
      try {
        server = newServer(ports.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start member " + names.get(i) + " of " + name, e);
      }
      synchronized (servers) {
        servers.put(server.name(), server);
      }
    }
    return names;
  }

  /** Returns the members' names of replica group {@code name}, running or not. */
  public List<String> groupMembers(String name) {
    synchronized (servers) {
      List<String> members = groups.get(name);
      if (members == null) {
        throw new IllegalArgumentException("no group " + name + " in this cluster");
      }
      return members;
    }
  }

  /**
   * Returns the member of group {@code name} that the shardmaster's latest configuration lists (its
   * leader when it last told the shardmaster), if any.
   */
  public Optional<String> listedMember(String name) {
    List<String> listed = shardmasterClient.query().serverNames();
    return groupMembers(name).stream().filter(listed::contains).findFirst();
  }

  /**
   * Waits (up to {@code deadline}) until the shardmaster lists a member of group {@code name}, and
   * returns that member.
   *
   * @throws IllegalStateException if it is not listed in time
   */
  public String awaitGroupListed(String name, Duration deadline) {
    return awaitPresent(() -> listedMember(name), deadline, "a listed member of group " + name);
  }

  /** Polls {@code value} until it is present, for at most {@code deadline}; throws naming {@code what}. */
  private static <T> T awaitPresent(Supplier<Optional<T>> value, Duration deadline, String what) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Optional<T> present = value.get();
      if (present.isPresent()) {
        return present.get();
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("no " + what + " within " + deadline);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private Path dataDir(String name) {
    return dataRoot == null ? null : dataRoot.resolve(name);
  }

  /**
   * Stops the server called {@code name}, if it runs, and starts it again on the same port (and data
   * directory, in a durable cluster); the shardmaster is not told.
   *
   * @throws IllegalArgumentException if this cluster never started a server called {@code name}
   */
  public void restartServer(String name) {
    restartServer(name, false);
  }

  /**
   * Stops the server called {@code name}, if it runs, and starts it again on the same port; if {@code
   * wipe}, on an emptied data directory: a replica group member so restarted catches up from its group.
   *
   * @throws IllegalArgumentException if this cluster never started a server called {@code name}
   * @throws IllegalStateException if asked to wipe in a cluster that is not durable
   */
  public void restartServer(String name, boolean wipe) {
    if (wipe && dataRoot == null) {
      throw new IllegalStateException("only a durable cluster's servers have data to wipe");
    }
    ShardkvServer old;
    Integer port;
    synchronized (servers) {
      old = servers.remove(name);
      port = old != null ? Integer.valueOf(old.port()) : stoppedPorts.get(name);
    }
    if (port == null) {
      throw new IllegalArgumentException("no server " + name + " in this cluster");
    }
    if (old != null) {
      old.close();
    }
    if (wipe) {
      deleteTree(dataDir(Integer.toString(port)));
    }
    ShardkvServer fresh;
    try {
      fresh = newServer(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart " + name, e);
    }
    synchronized (servers) {
      servers.put(name, fresh);
    }
  }

  /**
   * Stops the shardmaster and starts it again on the same port (and data directory, if durable).
   *
   * @throws IllegalStateException if the shardmaster is replicated (see {@link
   *     #restartShardmasterMember})
   */
  public void restartShardmaster() {
    requireSingleShardmaster();
    int port = shardmaster.port();
    shardmaster.close();
    try {
      shardmaster = newShardmaster(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart the shardmaster", e);
    }
  }

  /**
   * Starts a new shardkv server, joins it and waits until every running server acts on the new
   * configuration; returns its name.
   */
  public String startAndJoin() {
    String name = startServer();
    shardmasterClient.join(name);
    awaitConvergence();
    return name;
  }

  /**
   * Waits (up to 10 s) until every running server acts on the shardmaster's latest configuration and
   * no handoff is under way.
   *
   * @throws IllegalStateException if they do not converge in time
   */
  public void awaitConvergence() {
    long latest = shardmasterClient.query().number();
    long deadline = System.nanoTime() + CONVERGENCE_DEADLINE.toNanos();
    while (true) {
      boolean converged = true;
      for (String name : serverNames()) {
        ShardkvServer server = server(name);
        converged &= server.configuration().number() >= latest && !server.handoffInProgress();
      }
      if (converged) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "servers did not reach configuration #" + latest + " within " + CONVERGENCE_DEADLINE);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Returns the running server called {@code name}. */
  public ShardkvServer server(String name) {
    synchronized (servers) {
      ShardkvServer server = servers.get(name);
      if (server == null) {
        throw new IllegalArgumentException("no running server " + name);
      }
      return server;
    }
  }

  /** Returns the names of the running servers, in start order. */
  public List<String> serverNames() {
    synchronized (servers) {
      return new ArrayList<>(servers.keySet());
    }
  }

  /** Stops the server called {@code name} (without telling the shardmaster). */
  public void stopServer(String name) {
    ShardkvServer server;
    synchronized (servers) {
      server = servers.remove(name);
      if (server != null) {
        stoppedPorts.put(name, server.port());
      }
    }
    if (server != null) {
      server.close();
    }
  }

  /** Returns a client of the shardmaster, owned by this cluster. */
  public ShardmasterClient shardmasterClient() {
    return shardmasterClient;
  }

  /** Returns a new routing client with its own configuration cache, sharing this cluster's channels. */
  public StoreClient newStoreClient() {
    return new StoreClient(new ShardmasterConfigurationSource(shardmasterClient), channels);
  }

  /** Returns a new routing client with the given deadlines. */
  public StoreClient newStoreClient(Duration operationDeadline, Duration rpcDeadline) {
    return new StoreClient(
        new ShardmasterConfigurationSource(shardmasterClient), channels, operationDeadline, rpcDeadline);
  }

  /**
   * Returns channels like {@link #channels()} (the client certificate on a secure cluster) that send no
   * token, for tests that set the {@code authorization} header themselves.
   */
  public ChannelPool anonymousChannels() {
    return anonymousChannels;
  }

  /** Returns this cluster's channel pool (one channel per server). */
  public ChannelPool channels() {
    return channels;
  }

  @Override
  public void close() {
    for (String name : serverNames()) {
      stopServer(name);
    }
    if (shardmasterMembers != null) {
      shardmasterMembers.close();
    } else {
      shardmaster.close();
    }
    channels.close();
    anonymousChannels.close();
    if (security != null) {
      security.close();
    }
  }

  private ServerBuilder<?> builder(int port) {
    return NettyServerBuilder.forAddress(
        new InetSocketAddress(LOOPBACK, port), serverSecurity().serverCredentials());
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot wipe " + root, e);
    }
  }

  private interface Starter<T> {
    T start(int port) throws IOException;
  }

  private static <T> T bind(Starter<T> starter) {
    IOException last = null;
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      try {
        return starter.start(FreePorts.next());
      } catch (IOException e) {
        if (!(e instanceof BindException) && !(e.getCause() instanceof BindException)) {
          throw new UncheckedIOException(e);
        }
        last = e;
      }
    }
    throw new UncheckedIOException("no free port after " + BIND_ATTEMPTS + " attempts", last);
  }
}
