package com.bacefook.store.gateway.fuzz;

import com.bacefook.store.gateway.GatewayServer;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.testkit.MiniCluster;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A real cluster (a shardmaster and three joined storage servers on loopback) and a gateway over it
 * on a free port, as {@code GatewayApiTest} starts them. Close it to stop both.
 */
final class FuzzGateway implements AutoCloseable {
  final MiniCluster cluster;
  final GatewayServer gateway;

  private FuzzGateway(MiniCluster cluster, GatewayServer gateway) {
    this.cluster = cluster;
    this.gateway = gateway;
  }

  static FuzzGateway start() {
    MiniCluster cluster = MiniCluster.start();
    try {
      for (int i = 0; i < 3; i++) {
        cluster.startAndJoin();
      }
      return new FuzzGateway(cluster, GatewayServer.start(cluster.shardmasterAddress(), 0));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  int port() {
    return gateway.port();
  }

  /** The storage servers' addresses, as answers name them. */
  Set<String> servers() {
    return cluster.shardmasterClient().query().servers().stream()
        .map(ServerRanges::server)
        .collect(Collectors.toSet());
  }

  @Override
  public void close() {
    gateway.close();
    cluster.close();
  }
}
