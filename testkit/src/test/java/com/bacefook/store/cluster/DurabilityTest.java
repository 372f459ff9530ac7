package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.shardmaster.ShardmasterServer;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers and the shardmaster with data directories: restarts keep everything. */
class DurabilityTest {
  @TempDir Path data;
  private MiniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aRestartedServerKeepsItsKeysAuthorsAndUserOrder() {
    cluster = MiniCluster.startDurable(data);
    Servers servers = new Servers(cluster);
    String s1 = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    client.put("user_9", "Ida", "");
    client.put("user_3", "Cy", "");
    client.put("post_4", "hi", "user_3");
    client.append("post_4", " there");

    cluster.restartServer(s1);

    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(() -> servers.get(s1, "post_4").equals(Optional.of("hi there")));
    assertThat(servers.allUsers(s1)).isEqualTo("user_9,user_3,");
    assertThat(servers.get(s1, "user_3_posts")).contains("post_4,");
    client.delete("post_4");
    assertThat(servers.get(s1, "user_3_posts")).contains("");
    client.delete("user_9");
    cluster.restartServer(s1);
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> servers.allUsers(s1).equals("user_3,"));
    assertThat(servers.get(s1, "post_4")).isEmpty();
  }

  @Test
  void aRestartedShardmasterKeepsItsConfigurations() {
    cluster = MiniCluster.startDurable(data);
    String s1 = cluster.startAndJoin();
    String s2 = cluster.startAndJoin();
    cluster.shardmasterClient().move(s2, new ShardRange(0, 10));
    Configuration before = cluster.shardmasterClient().query();

    cluster.restartShardmaster();

    assertThat(cluster.shardmasterClient().query()).isEqualTo(before);
    assertThat(cluster.shardmasterClient().query(2).rangesOf(s1)).containsExactly(new ShardRange(0, 500));
    String s3 = cluster.startAndJoin();
    assertThat(cluster.shardmasterClient().query().number()).isEqualTo(before.number() + 1);
    assertThat(cluster.shardmasterClient().query().serverNames()).containsExactly(s1, s2, s3);
  }

  @Test
  void aReceiverRestartedMidHandoffEndsUpWithEveryKey() {
    cluster = MiniCluster.startDurable(data);
    Servers servers = new Servers(cluster);
    String s1 = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    for (int id = 501; id <= 1000; id += 7) {
      client.put("post_" + id, "v" + id, "user_1");
    }
    String s2 = cluster.startServer();
    cluster.shardmasterClient().join(s2);
    cluster.restartServer(s2); // whatever state the handoff was in, it resumes
    cluster.awaitConvergence();

    for (int id = 501; id <= 1000; id += 7) {
      assertThat(servers.get(s2, "post_" + id)).contains("v" + id);
      assertThat(cluster.server(s1).holds("post_" + id)).isFalse();
    }
    assertThat(servers.get(s1, "user_1_posts").orElseThrow().split(",")).hasSize(72);
  }

  @Test
  void foreignDataDirectoriesAreRefusedUntouched() throws Exception {
    Path foreign = data.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    assertThatThrownBy(
            () ->
                new ShardkvServer(
                    NettyServerBuilder.forPort(0),
                    "127.0.0.1:1",
                    "127.0.0.1:1",
                    ShardkvServer.Options.DEFAULT.withDataDir(foreign)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing to touch it");
    assertThatThrownBy(() -> new ShardmasterServer(NettyServerBuilder.forPort(0), foreign))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing to touch it");
    try (var files = Files.list(foreign)) {
      assertThat(files).containsExactly(foreign.resolve("notes.txt"));
    }
  }
}
