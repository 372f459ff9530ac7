package com.bacefook.store.rpc;

import com.google.common.net.HostAndPort;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** One long-lived {@link ManagedChannel} per peer address, built on first use and closed together. */
public final class ChannelPool implements AutoCloseable {
  private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final int maxInboundMessageBytes;
  private volatile boolean closed;

  /** Creates a pool whose channels accept replies up to {@code maxInboundMessageBytes}. */
  public ChannelPool(int maxInboundMessageBytes) {
    this.maxInboundMessageBytes = maxInboundMessageBytes;
  }

  /** Creates a pool with gRPC's default 4 MiB reply limit raised to 16 MiB. */
  public ChannelPool() {
    this(16 * 1024 * 1024);
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
    HostAndPort target = Addresses.parse(address);
    return channels.computeIfAbsent(
        address,
        a ->
            NettyChannelBuilder.forAddress(target.getHost(), target.getPort())
                .usePlaintext()
                .maxInboundMessageSize(maxInboundMessageBytes)
                .build());
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
