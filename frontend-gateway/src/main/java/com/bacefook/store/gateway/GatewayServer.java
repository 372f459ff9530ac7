package com.bacefook.store.gateway;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.security.Security;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.Optional;

/**
 * Starts and stops the gateway: the web application on an HTTP port, and the gRPC channels it uses to
 * reach the shardmaster and the storage servers. Every call into the cluster has a short deadline, so
 * an unreachable cluster is an error within seconds, never a hang.
 */
public final class GatewayServer implements AutoCloseable {
  /** Deadline of one store operation, all retries included. */
  static final Duration OPERATION_DEADLINE = Duration.ofSeconds(3);
  /** Deadline of one RPC to a storage server. */
  static final Duration RPC_DEADLINE = Duration.ofSeconds(1);
  /** Deadline of a shardmaster query. */
  static final Duration SHARDMASTER_DEADLINE = Duration.ofSeconds(2);
  /** Deadline of a GDPR delete, which erases every post of the user. */
  static final Duration GDPR_DEADLINE = Duration.ofSeconds(30);

  private final ChannelPool channels;
  private final Javalin app;

  private final boolean https;

  private GatewayServer(ChannelPool channels, Javalin app, boolean https) {
    this.channels = channels;
    this.app = app;
    this.https = https;
  }

  /**
   * Starts a gateway on {@code port} (0 picks a free one) for the cluster whose shardmaster is at
   * {@code shardmasterAddress} ({@code host:port}).
   *
   * @throws IllegalArgumentException if the address is malformed
   */
  public static GatewayServer start(String shardmasterAddress, int port) {
    return start(shardmasterAddress, port, Security.NONE, Optional.empty());
  }

  /**
   * Starts a gateway as above that reaches the cluster with TLS and tokens as {@code security} says,
   * and serves HTTPS only with {@code https}' certificate and key when given.
   *
   * @throws IllegalArgumentException if the address is malformed or a certificate unusable
   */
  public static GatewayServer start(
      String shardmasterAddress, int port, Security security, Optional<HttpsFiles> https) {
    String shardmasterTarget = Addresses.parse(shardmasterAddress).toString();
    ChannelPool channels = new ChannelPool(security.channelFactory());
    try {
      ShardmasterClient shardmaster =
          new ShardmasterClient(
              channels.channel(shardmasterTarget), SHARDMASTER_DEADLINE, GDPR_DEADLINE);
      StoreClient store =
          new StoreClient(
              new ShardmasterConfigurationSource(shardmaster),
              channels,
              OPERATION_DEADLINE,
              RPC_DEADLINE);
      Javalin app = WebApp.create(new SocialService(store, shardmaster));
      https.ifPresent(files -> app.unsafeConfig().jetty.addConnector((server, http) -> files.connector(server, http, port)));
      app.start(port);
      return new GatewayServer(channels, app, https.isPresent());
    } catch (RuntimeException e) {
      channels.close();
      throw e;
    }
  }

  /** Returns the HTTP port the gateway listens on. */
  public int port() {
    return app.port();
  }

  /** Returns the gateway's address on this machine, like {@code http://localhost:3000/}. */
  public String url() {
    return (https ? "https" : "http") + "://localhost:" + port() + "/";
  }

  @Override
  public void close() {
    app.stop();
    channels.close();
  }
}
