package com.bacefook.store.rpc;

import io.grpc.ManagedChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived {@link ManagedChannel} per peer address, built on first use by a {@link
 * ChannelFactory} and closed together.
 */
public final class ChannelPool implements AutoCloseable {
  private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final ChannelFactory factory;
  private volatile boolean closed;

  /** Creates a pool whose channels {@code factory} builds. */
  public ChannelPool(ChannelFactory factory) {
    this.factory = factory;
  }

  /** Creates a pool of plaintext Netty channels ({@link ChannelFactory#plaintext()}). */
  public ChannelPool() {
    this(ChannelFactory.plaintext());
  }

  /**
   * Returns the channel to {@code address} ({@code host:port}).
   *
   * @throws IllegalArgumentException if the address is malformed
   * @throws IllegalStateException if the pool is closed
   */
  public ManagedChannel channel(String address) {
    if (closed) {
      throw new IllegalStateException("channel pool is closed");
    }
    ManagedChannel channel = channels.get(address);
    if (channel != null) {
      return channel;
    }
    return channels.computeIfAbsent(address, factory::create);
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      try {
        if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    channels.clear();
  }
}
