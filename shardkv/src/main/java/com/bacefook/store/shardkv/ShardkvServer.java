package com.bacefook.store.shardkv;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.sharding.Configuration;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops one storage server: the gRPC service, the heartbeat and the migration sender.
 * Run with {@code java -jar shardkv.jar <PORT> <SHARDMASTER_HOST> <SHARDMASTER_PORT>}; see {@link
 * ShardkvMain}.
 */
public final class ShardkvServer implements AutoCloseable {
  /** Largest request or reply, in bytes; larger ones get {@code RESOURCE_EXHAUSTED}. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  private final String name;
  private final Server server;
  private final ChannelPool channels = new ChannelPool();
  private final ConfigFollower follower;
  private final MigrationSender migration;
  private final KeyValueStore store = new KeyValueStore();
  private final Ownership ownership;

  /**
   * Creates a server called {@code name} ({@code host:port} as others reach it), served by {@code
   * builder}, that follows the shardmaster at {@code shardmasterAddress}.
   */
  public ShardkvServer(
      ServerBuilder<?> builder, String name, String shardmasterAddress, Duration heartbeat) {
    this.name = name;
    this.ownership = new Ownership(name);
    ShardmasterClient shardmaster = new ShardmasterClient(channels.channel(shardmasterAddress));
    this.follower = new ConfigFollower(name, shardmaster, heartbeat);
    this.migration = new MigrationSender(name, store, ownership, channels);
    StoreClient cluster = new StoreClient(follower, channels);
    SocialGraph graph = new SocialGraph(store, ownership, cluster);
    follower.addListener(this::onConfiguration);
    this.server =
        builder
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .addService(
                ServerInterceptors.intercept(
                    new ShardkvService(store, ownership, graph), Handoff.serverInterceptor()))
            .build();
  }

  /** Creates a server listening on {@code port} on all interfaces. */
  public static ShardkvServer onPort(
      int port, String name, String shardmasterAddress, Duration heartbeat) {
    return new ShardkvServer(
        Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()),
        name,
        shardmasterAddress,
        heartbeat);
  }

  private void onConfiguration(Configuration config) {
    ownership.update(config);
    migration.kick();
  }

  /** Starts serving and following the shardmaster; returns this. */
  public ShardkvServer start() throws IOException {
    server.start();
    follower.start();
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

  /** Returns the configuration this server currently acts on. */
  public Configuration configuration() {
    return ownership.configuration();
  }

  /** Returns how many keys this server holds (including any not yet handed off). */
  public int keyCount() {
    return store.size();
  }

  /** Returns whether this server stores {@code key} now, whether or not it serves it. */
  public boolean holds(String key) {
    return store.get(key).isPresent();
  }

  @Override
  public void close() {
    follower.close();
    migration.close();
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
  }

  /** Blocks until the server terminates. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }
}
