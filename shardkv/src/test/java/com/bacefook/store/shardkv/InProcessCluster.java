package com.bacefook.store.shardkv;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.RangeStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.rpc.ChannelFactory;
import com.bacefook.store.rpc.ChannelPool;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shardkv servers and a {@link FakeShardmaster} on grpc's in-process transport: no sockets, unique
 * names per test, a controllable clock, and {@link Faults} on each server to hold a handoff between
 * two steps.
 */
final class InProcessCluster implements AutoCloseable {
  static final ChannelFactory IN_PROCESS = address -> InProcessChannelBuilder.forName(address).build();

  private final String prefix = InProcessServerBuilder.generateName() + "-";
  private final FakeShardmaster shardmaster;
  private final ChannelPool clientChannels = new ChannelPool(IN_PROCESS);
  private final Map<String, ShardkvServer> servers = new ConcurrentHashMap<>();
  private final Map<String, Faults> faults = new ConcurrentHashMap<>();
  final FakeTicker ticker = new FakeTicker();
  final StoreClient client;

  InProcessCluster(boolean queryOnly) {
    String address = prefix + "shardmaster";
    shardmaster = queryOnly ? FakeShardmaster.queryOnly(address) : FakeShardmaster.numbered(address);
    client =
        new StoreClient(
            new ShardmasterConfigurationSource(new ShardmasterClient(clientChannels.channel(address))),
            clientChannels,
            Duration.ofSeconds(10),
            Duration.ofSeconds(2));
  }

  InProcessCluster() {
    this(false);
  }

  FakeShardmaster shardmaster() {
    return shardmaster;
  }

  /** The full name of server {@code shortName} in this cluster. */
  String name(String shortName) {
    return prefix + shortName;
  }

  /** Starts server {@code shortName} (in memory, or on {@code dataDir} if not null). */
  ShardkvServer start(String shortName, Path dataDir) {
    String name = name(shortName);
    Faults serverFaults = faults.computeIfAbsent(name, n -> new Faults());
    ShardkvServer.Options options =
        ShardkvServer.Options.DEFAULT
            .withHeartbeat(Duration.ofMillis(20))
            .withHandoffTimeout(Duration.ofSeconds(5))
            .withDataDir(dataDir);
    ShardkvServer server =
        new ShardkvServer(
            InProcessServerBuilder.forName(name).intercept(serverFaults),
            name,
            shardmaster.address(),
            options,
            IN_PROCESS,
            ticker);
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    servers.put(name, server);
    return server;
  }

  ShardkvServer start(String shortName) {
    return start(shortName, null);
  }

  /** Stops server {@code shortName} as a crash between two steps would (its data directory stays). */
  void stop(String shortName) {
    ShardkvServer server = servers.remove(name(shortName));
    if (server != null) {
      server.close();
    }
  }

  Faults faults(String shortName) {
    return faults.computeIfAbsent(name(shortName), n -> new Faults());
  }

  ServerStatus status(String shortName) {
    return servers.get(name(shortName)).status();
  }

  /** The ranges server {@code shortName} reports, as {@code "[lower,upper] state peer"} lines. */
  List<String> ranges(String shortName) {
    return status(shortName).getRangesList().stream().map(this::shown).toList();
  }

  private String shown(RangeStatus r) {
    String peer = r.getPeer().startsWith(prefix) ? r.getPeer().substring(prefix.length()) : r.getPeer();
    return "[" + r.getShard().getLower() + "," + r.getShard().getUpper() + "] " + r.getState()
        + (peer.isEmpty() ? "" : " " + peer);
  }

  @Override
  public void close() {
    servers.values().forEach(ShardkvServer::close);
    servers.clear();
    clientChannels.close();
    shardmaster.close();
  }
}
