package com.bacefook.store.testkit;

import com.bacefook.store.metrics.MetricsEndpoint;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.replication.RaftPeers;
import com.bacefook.store.security.Security;
import com.bacefook.store.shardmaster.ReplicationSettings;
import com.bacefook.store.shardmaster.ShardmasterServer;
import com.google.common.net.HostAndPort;
import io.grpc.ServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The members of an in-process replicated shardmaster: each a {@link ShardmasterServer} with its own
 * client port and Raft port on 127.0.0.1 ({@link FreePorts}) and its own data directory {@code
 * shardmaster-smN} under the cluster's data root, known by its client address. A member can be
 * stopped and started again on the same ports, on an emptied data directory if asked.
 */
final class ShardmasterMembers implements AutoCloseable {
  private static final String LOOPBACK = "127.0.0.1";

  /** Each member's settings, by client address, in start order. */
  private final Map<String, ReplicationSettings> settings;
  private final Map<String, ShardmasterServer> running = new HashMap<>();
  private final Path dataRoot;
  private final Security security;
  private final IntFunction<ServerBuilder<?>> builders;
  private final Consumer<Path> wipe;

  private ShardmasterMembers(
      Map<String, ReplicationSettings> settings,
      Path dataRoot,
      Security security,
      IntFunction<ServerBuilder<?>> builders,
      Consumer<Path> wipe) {
    this.settings = settings;
    this.dataRoot = dataRoot;
    this.security = security;
    this.builders = builders;
    this.wipe = wipe;
  }

  /**
   * Starts {@code size} members running with {@code member}, serving through the builders {@code
   * builders} makes for a port and checking calls against {@code security}; {@code wipe} empties a
   * data directory. Does not wait for a leader.
   *
   * @throws UncheckedIOException if a member cannot start (a port taken meanwhile)
   */
  static ShardmasterMembers start(
      int size,
      GroupMember.Options member,
      Path dataRoot,
      Security security,
      IntFunction<ServerBuilder<?>> builders,
      Consumer<Path> wipe) {
    List<Integer> clientPorts = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      clientPorts.add(FreePorts.next());
      peers.add("sm" + i + ":" + LOOPBACK + ":" + FreePorts.next());
    }
    RaftPeers raftPeers = RaftPeers.parse(String.join(",", peers));
    Map<String, ReplicationSettings> settings = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      ReplicationSettings one =
          ReplicationSettings.onRaftHost(raftPeers, "sm" + i, clientPorts.get(i), member);
      settings.put(one.address(), one);
    }
    ShardmasterMembers members = new ShardmasterMembers(settings, dataRoot, security, builders, wipe);
    for (String address : settings.keySet()) {
      members.restart(address, false);
    }
    return members;
  }

  /** Returns the members' client addresses, running or not, in start order. */
  List<String> addresses() {
    return List.copyOf(settings.keySet());
  }

  /**
   * Returns the running member at {@code address}.
   *
   * @throws IllegalArgumentException if no member runs there
   */
  synchronized ShardmasterServer running(String address) {
    ShardmasterServer member = running.get(address);
    if (member == null) {
      throw new IllegalArgumentException("no running shardmaster member " + address);
    }
    return member;
  }

  /** Stops the member at {@code address}, if it runs. */
  synchronized void stop(String address) {
    ShardmasterServer member = running.remove(require(address));
    if (member != null) {
      member.close();
    }
  }

  /**
   * Stops the member at {@code address} if it runs and starts it again on its ports; if {@code
   * wiped}, on an emptied data directory (it then catches up from the others).
   *
   * @throws UncheckedIOException if it cannot start
   */
  synchronized void restart(String address, boolean wiped) {
    stop(address);
    ReplicationSettings member = settings.get(address);
    Path dataDir = dataRoot.resolve("shardmaster-" + member.raftId());
    if (wiped) {
      wipe.accept(dataDir);
    }
    try {
      running.put(
          address,
          ShardmasterServer.replicated(
                  builders.apply(HostAndPort.fromString(address).getPort()), member, dataDir, MetricsEndpoint.disabled(), security)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start shardmaster member " + address, e);
    }
  }

  private String require(String address) {
    if (!settings.containsKey(address)) {
      throw new IllegalArgumentException("no shardmaster member " + address);
    }
    return address;
  }

  @Override
  public synchronized void close() {
    for (String address : settings.keySet()) {
      stop(address);
    }
  }
}
