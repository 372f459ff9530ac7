package com.bacefook.store.bench;

import com.bacefook.store.client.Reply;
import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.security.Security;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The cluster under test as the bench sees it: a shardmaster address, a routing client and a shardmaster
 * client over one channel pool, and the local processes if the bench started them. Only the public
 * Shardmaster and Shardkv RPCs are used, so any implementation of the same protos can be measured.
 */
final class Cluster implements AutoCloseable {
  private static final long RETRY_NANOS = 50_000_000L;

  private final String shardmasterAddress;
  private final ChannelPool channels;
  private final ShardmasterClient shardmaster;
  private final StoreClient store;
  private final LocalCluster local;

  Cluster(String shardmasterAddress, LocalCluster local) {
    this(shardmasterAddress, local, Security.NONE);
  }

  /** Connects with TLS and tokens as {@code security} says. */
  Cluster(String shardmasterAddress, LocalCluster local, Security security) {
    this.channels = new ChannelPool(security.channelFactory());
    this.shardmasterAddress = shardmasterAddress;
    this.local = local;
    this.shardmaster =
        new ShardmasterClient(
            ShardmasterAddresses.parse(shardmasterAddress), channels::channel, Duration.ofSeconds(10), Duration.ofMinutes(5));
    this.store = new StoreClient(new ShardmasterConfigurationSource(shardmaster), channels);
  }

  String shardmasterAddress() {
    return shardmasterAddress;
  }

  ShardmasterClient shardmaster() {
    return shardmaster;
  }

  StoreClient store() {
    return store;
  }

  /** The processes the bench started, if it did. */
  Optional<LocalCluster> local() {
    return Optional.ofNullable(local);
  }

  /** The processes the bench started, besides itself: counted as "ours" in CPU accounting. */
  List<Long> startedPids() {
    return local == null ? List.of() : local.pids();
  }

  Configuration configuration() {
    return shardmaster.query();
  }

  /**
   * Waits until every range of the current configuration is served by its owner: a Get of a key in
   * the range answers with a value or {@code NOT_FOUND} (a refusal is retried).
   *
   * @throws IllegalStateException if that does not happen within {@code timeout}
   */
  void awaitServing(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Configuration config = store.refreshConfiguration();
    for (ServerRanges entry : config.servers()) {
      for (ShardRange range : entry.ranges()) {
        String key = "benchready_" + range.lower() + "_probe";
        StatusRuntimeException last = null;
        boolean served = false;
        while (!served) {
          try {
            Reply<String> reply = store.get(key);
            served = reply.server().equals(entry.server());
          } catch (StatusRuntimeException e) {
            served = e.getStatus().getCode() == Status.Code.NOT_FOUND;
            last = e;
          }
          if (!served) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException(
                  entry.server() + " does not serve " + range + " of configuration #" + config.number()
                      + " after " + timeout + (last == null ? "" : ": " + last.getStatus()));
            }
            Clock.parkUntil(System.nanoTime() + RETRY_NANOS);
            store.refreshConfiguration();
          }
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      channels.close();
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }
}
