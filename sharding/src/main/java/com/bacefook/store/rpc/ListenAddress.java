package com.bacefook.store.rpc;

import com.bacefook.store.sharding.Quote;
import io.grpc.Grpc;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;

/** Where a gRPC server listens: every interface by default, or one address given with {@code --listen}. */
public final class ListenAddress {
  private ListenAddress() {}

  /**
   * Returns a server builder for {@code port} on {@code listen} (a host name or IP address), or on
   * every interface if {@code listen} is null, speaking with {@code credentials} (TLS or plaintext).
   *
   * @throws IllegalArgumentException if {@code listen} does not resolve to an address
   */
  public static ServerBuilder<?> serverBuilder(
      String listen, int port, ServerCredentials credentials) {
    if (listen == null) {
      return Grpc.newServerBuilderForPort(port, credentials);
    }
    return NettyServerBuilder.forAddress(resolve(listen, port), credentials);
  }

  /**
   * Resolves {@code listen} and {@code port} to a socket address.
   *
   * @throws IllegalArgumentException if {@code listen} does not resolve to an address
   */
  public static InetSocketAddress resolve(String listen, int port) {
    InetSocketAddress address = new InetSocketAddress(listen.strip(), port);
    if (listen.isBlank() || address.isUnresolved()) {
      throw new IllegalArgumentException(
          "cannot listen on " + Quote.of(listen) + ": not an address of this machine");
    }
    return address;
  }
}
