package com.bacefook.store.gateway;

import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.gateway.dashboard.ClusterDashboard;
import com.bacefook.store.rpc.ChannelPool;
import io.grpc.ClientInterceptors;
import com.bacefook.store.security.Security;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
  private final ClusterDashboard dashboard;
  private final Javalin app;

  private final boolean https;

  private GatewayServer(
      ChannelPool channels, ClusterDashboard dashboard, Javalin app, boolean https) {
    this.channels = channels;
    this.dashboard = dashboard;
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
    return start(shardmasterAddress, GatewayOptions.onPort(port), Security.NONE);
  }

  /**
   * Starts a gateway as {@code options} say for the cluster whose shardmaster is at {@code
   * shardmasterAddress} ({@code host:port}), reaching the cluster with TLS and tokens as {@code
   * security} says; it serves HTTPS only if the options carry a certificate.
   *
   * @throws IllegalArgumentException if an address or origin is malformed
   */
  public static GatewayServer start(
      String shardmasterAddress, GatewayOptions options, Security security) {
    Set<String> hosts = new HashSet<>(options.allowHosts());
    hosts.addAll(machineNames());
    RequestGuard guard = new RequestGuard(hosts, options.allowOrigins());
    ShardmasterAddresses shardmasterTargets = ShardmasterAddresses.parse(shardmasterAddress);
    ChannelPool channels = new ChannelPool(security.channelFactory());
    ClusterDashboard dashboard = null;
    try {
      ShardmasterClient shardmaster =
          new ShardmasterClient(
              shardmasterTargets,
              target ->
                  ClientInterceptors.intercept(
                      channels.channel(target), new ShardmasterCalls(target)),
              SHARDMASTER_DEADLINE,
              GDPR_DEADLINE);
      StoreClient store =
          new StoreClient(
              new RetryingConfigurationSource(new ShardmasterConfigurationSource(shardmaster)),
              channels,
              OPERATION_DEADLINE,
              RPC_DEADLINE);
      dashboard =
          new ClusterDashboard(shardmasterTargets.toString(), shardmaster, store, Clock.systemUTC()).start();
      Javalin app =
          WebApp.create(new SocialService(store, shardmaster), guard, dashboard::view, options)
              .start();
      return new GatewayServer(channels, dashboard, app, options.https() != null);
    } catch (RuntimeException e) {
      if (dashboard != null) {
        dashboard.close();
      }
      channels.close();
      throw e;
    }
  }

  /** Returns this machine's host names (short and canonical), or none if they cannot be found. */
  private static Set<String> machineNames() {
    try {
      InetAddress local = InetAddress.getLocalHost();
      return new HashSet<>(List.of(local.getHostName(), local.getCanonicalHostName()));
    } catch (UnknownHostException e) {
      return Set.of();
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
    dashboard.close();
    channels.close();
  }
}
