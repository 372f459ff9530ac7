package com.bacefook.store.rpc;

import com.google.common.net.HostAndPort;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * Builds the channel to one peer address ({@code host:port}). {@link ChannelPool} asks it once per
 * address; tests pass one that builds in-process channels, secure clusters one that speaks TLS.
 */
@FunctionalInterface
public interface ChannelFactory {
  /** gRPC's default 4 MiB reply limit raised to 16 MiB, for configurations and handoff batches. */
  int DEFAULT_MAX_INBOUND_BYTES = 16 * 1024 * 1024;

  /**
   * Returns a new channel to {@code address}.
   *
   * @throws IllegalArgumentException if the address is malformed
   */
  ManagedChannel create(String address);

  /** Plaintext Netty channels that accept replies up to {@code maxInboundMessageBytes}. */
  static ChannelFactory plaintext(int maxInboundMessageBytes) {
    return address -> {
      HostAndPort target = Addresses.parse(address);
      return NettyChannelBuilder.forAddress(target.getHost(), target.getPort())
          .usePlaintext()
          .maxInboundMessageSize(maxInboundMessageBytes)
          .build();
    };
  }

  /**
   * Netty channels with {@code credentials} (TLS, call credentials such as tokens, or plain text) that
   * accept replies up to {@code maxInboundMessageBytes}.
   */
  static ChannelFactory secured(ChannelCredentials credentials, int maxInboundMessageBytes) {
    return address -> {
      HostAndPort target = Addresses.parse(address);
      return NettyChannelBuilder.forAddress(target.getHost(), target.getPort(), credentials)
          .maxInboundMessageSize(maxInboundMessageBytes)
          .build();
    };
  }

  /** Plaintext Netty channels with the {@link #DEFAULT_MAX_INBOUND_BYTES} reply limit. */
  static ChannelFactory plaintext() {
    return plaintext(DEFAULT_MAX_INBOUND_BYTES);
  }
}
