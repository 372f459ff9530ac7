package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.sharding.Configuration;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real shardmaster processes ({@code --raft-id --raft-peers --data-dir}) and shardkv servers
 * given their address list: the shardmaster's leader is killed with SIGKILL; a client of the list
 * is answered by the new leader, the shardkv keeps serving, and a Join through the client shell with the list succeeds afterwards (the new server
 * gets ranges, so the shardkv followed the new leader's configuration). Prints the failover time.
 */
class ReplicatedShardmasterKillTest {
  private static final Duration RECOVERY = Duration.ofSeconds(90);

  @TempDir Path data;
  private ProcessCluster cluster;
  private ChannelPool channels;
  private String members;
  private ShardmasterClient shardmaster;

  @BeforeEach
  void start(TestInfo test) {
    cluster = ProcessCluster.forTest(test, data);
    members = cluster.startReplicatedShardmaster(3);
    channels = new ChannelPool();
    shardmaster =
        new ShardmasterClient(
            ShardmasterAddresses.parse(members),
            channels::channel,
            Duration.ofSeconds(20),
            Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() {
    channels.close();
    cluster.close();
  }

  @Test
  void killingTheShardmasterLeaderLeavesTheClusterServingAndChangeable() {
    String kv1 = cluster.startShardkv();
    assertThat(cluster.cli("join " + kv1)).containsExactly("OK: " + kv1 + " joined");
    StoreClient store =
        new StoreClient(
            new ShardmasterConfigurationSource(shardmaster), channels, Duration.ofSeconds(10), Duration.ofSeconds(2));
    for (int i = 0; i < 50; i++) {
      store.put("user_" + i, "before-" + i, "");
    }
    String leader = await().atMost(RECOVERY).until(this::leader, Optional::isPresent).orElseThrow();

    cluster.shardmasterMember(leader).kill();
    long killed = System.nanoTime();
    // The list client finds the new leader (a read-index query: it leads and hears from a majority).
    assertThat(shardmaster.query().serverNames()).containsExactly(kv1);
    long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
    for (int i = 0; i < 50; i++) {
      assertThat(store.get("user_" + i).value()).isEqualTo("before-" + i);
      store.put("user_" + i, "after-" + i, "");
    }
    String newLeader = await().atMost(RECOVERY).until(this::leader, Optional::isPresent).orElseThrow();

    String kv2 = cluster.startShardkv();
    assertThat(cluster.cli("join " + kv2)).containsExactly("OK: " + kv2 + " joined");
    Configuration config = shardmaster.query();
    assertThat(config.serverNames()).containsExactly(kv1, kv2);
    // kv1 hands kv2 its ranges once it reads the new configuration from the new leader.
    await()
        .atMost(RECOVERY)
        .untilAsserted(
            () -> {
              for (int i = 0; i < 50; i++) {
                assertThat(store.get("user_" + i).value()).isEqualTo("after-" + i);
              }
            });
    int onKv2 = 0;
    for (int i = 0; i < 1001; i++) {
      onKv2 += config.isOwner(kv2, i) ? 1 : 0;
    }
    assertThat(onKv2).isPositive();
    assertThat(newLeader).isNotEqualTo(leader);
    System.out.printf(
        "replicated shardmaster: leader %s killed; a client of the list was answered by the new leader"
            + " %s after %d ms%n",
        leader, newLeader, failoverMs);
  }

  /** The member that answers a query itself, if one does now. */
  private Optional<String> leader() {
    for (String member : List.of(members.split(","))) {
      if (!cluster.shardmasterMember(member).isAlive()) {
        continue;
      }
      try {
        new ShardmasterClient(channels.channel(member), Duration.ofSeconds(2), Duration.ofSeconds(2)).query();
        return Optional.of(member);
      } catch (StatusRuntimeException e) {
        // A follower, or not reachable.
      }
    }
    return Optional.empty();
  }
}
