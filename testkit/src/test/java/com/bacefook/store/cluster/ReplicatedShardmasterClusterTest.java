package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.chaos.MemberControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mini-cluster whose shardmaster is replicated: servers and clients follow its leader, and a chaos
 * run's member control stops that leader and starts it again wiped, after which it catches up.
 */
class ReplicatedShardmasterClusterTest {
  private static final GroupMember.Options SHARDMASTER_MEMBER =
      GroupMember.Options.DEFAULT
          .withSnapshotEvery(5)
          .withMaxEntryBytes(1024 * 1024)
          .withElectionTimeout(TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));

  @TempDir Path data;

  @Test
  void serversAndClientsFollowTheLeaderThroughItsStopAndWipedRestart() {
    try (MiniCluster cluster = MiniCluster.startReplicated(data, SHARDMASTER_MEMBER)) {
      followTheLeaderThroughItsStopAndWipedRestart(cluster);
    }
  }

  private static void followTheLeaderThroughItsStopAndWipedRestart(MiniCluster cluster) {
    MemberControl members = MemberControl.of(cluster);
    assertThat(members.members(MemberControl.SHARDMASTER))
        .hasSize(3)
        .isEqualTo(cluster.shardmasterMembers());
    assertThat(cluster.shardmasterAddress()).isEqualTo(String.join(",", cluster.shardmasterMembers()));
    String s1 = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    client.put("user_1", "Ada", "");
    String leader = members.listedMember(MemberControl.SHARDMASTER).orElseThrow();

    members.stop(leader);
    // The shardmaster's client and the servers' find the new leader: a join and a move go through it.
    String s2 = cluster.startAndJoin();
    String next = members.listedMember(MemberControl.SHARDMASTER).orElseThrow();
    for (int i = 0; i < 6; i++) {
      cluster.shardmasterClient().join("10.0.0." + i + ":7000"); // enough entries for a snapshot
    }
    members.start(leader, true);

    Configuration latest = cluster.shardmasterClient().query();
    assertThat(next).isNotEqualTo(leader);
    assertThat(latest.serverNames()).contains(s1, s2);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> assertThat(cluster.shardmasterMember(leader).history().latest()).isEqualTo(latest));
    assertThat(client.get("user_1").value()).isEqualTo("Ada");
  }

  @Test
  void aSingleShardmasterHasNoMembersToStop() {
    try (MiniCluster cluster = MiniCluster.start()) {
      assertThat(cluster.shardmasterMembers()).isEmpty();
      assertThat(cluster.shardmaster().port()).isPositive();
      assertThatThrownBy(cluster::shardmasterLeader).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> cluster.stopShardmasterMember(cluster.shardmasterAddress()))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aReplicatedShardmasterHasNoSingleServer() {
    try (MiniCluster cluster = MiniCluster.startReplicated(data, SHARDMASTER_MEMBER)) {
      assertThatThrownBy(cluster::shardmaster).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(cluster::restartShardmaster).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> cluster.stopShardmasterMember("127.0.0.1:1"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
