package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.MiniCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys follow their ranges: on join, leave, rejoin and move, and keep their metadata. */
class MigrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private MiniCluster cluster;
  private Servers servers;
  private StoreClient client;

  @BeforeEach
  void startCluster() {
    cluster = MiniCluster.start();
    servers = new Servers(cluster);
    client = cluster.newStoreClient();
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  private void awaitHeldBy(String server, String key, String value) {
    await()
        .atMost(DEADLINE)
        .ignoreExceptions()
        .until(() -> servers.get(server, key).equals(Optional.of(value)));
  }

  private void awaitGoneFrom(String server, String key) {
    await().atMost(DEADLINE).until(() -> cluster.server(server).keyCount() == 0
        || !heldLocally(server, key));
  }

  /** Whether {@code server} still stores {@code key}, served or not. */
  private boolean heldLocally(String server, String key) {
    return cluster.server(server).holds(key);
  }

  @Test
  void joinMovesTheUpperHalfToTheNewServerAndDeletesItFromTheOld() {
    String s1 = cluster.startAndJoin();
    client.put("post_600", "upper", "");
    client.put("post_200", "lower", "");
    String s2 = cluster.startAndJoin();

    awaitHeldBy(s2, "post_600", "upper");
    awaitGoneFrom(s1, "post_600");
    assertThat(servers.get(s1, "post_200")).contains("lower");
    assertThat(heldLocally(s2, "post_200")).isFalse();
    assertThat(client.get("post_600").server()).isEqualTo(s2);
  }

  @Test
  void leaveHandsEverythingToTheRemainingServers() {
    String s1 = cluster.startAndJoin();
    String s2 = cluster.startAndJoin();
    client.put("user_100", "low", "");
    client.put("user_900", "high", "");
    cluster.shardmasterClient().leave(List.of(s2));

    awaitHeldBy(s1, "user_900", "high");
    awaitGoneFrom(s2, "user_900");
    assertThat(servers.allUsers(s1)).isEqualTo("user_100,user_900,");
    assertThat(client.get("user_900").value()).isEqualTo("high");
  }

  @Test
  void aServerThatRejoinsGetsItsNewRangeBack() {
    String s1 = cluster.startAndJoin();
    String s2 = cluster.startAndJoin();
    client.put("user_100", "a", "");
    client.put("user_900", "b", "");
    cluster.shardmasterClient().leave(List.of(s1));
    awaitHeldBy(s2, "user_100", "a");
    cluster.shardmasterClient().join(s1);
    // Order is now s2, s1: s2 owns [0,500] and s1 [501,1000].
    awaitHeldBy(s1, "user_900", "b");
    awaitGoneFrom(s2, "user_900");
    assertThat(servers.get(s2, "user_100")).contains("a");
  }

  @Test
  void moveHandsJustTheMovedRangeOver() {
    String s1 = cluster.startAndJoin();
    String s2 = cluster.startAndJoin();
    String s3 = cluster.startAndJoin();
    client.put("post_10", "ten", "");
    client.put("post_400", "four hundred", "");
    client.put("post_900", "nine hundred", "");
    cluster.shardmasterClient().move(s3, new ShardRange(0, 50));

    awaitHeldBy(s3, "post_10", "ten");
    awaitGoneFrom(s1, "post_10");
    assertThat(servers.get(s2, "post_400")).contains("four hundred");
    assertThat(servers.get(s3, "post_900")).contains("nine hundred");
  }

  @Test
  void aMovedPostKeepsItsAuthor() {
    String s1 = cluster.startAndJoin();
    client.put("post_700", "hello", "user_3");
    client.put("user_3", "Carol", "");
    String s2 = cluster.startAndJoin();
    awaitHeldBy(s2, "post_700", "hello");
    assertThat(servers.get(s1, "user_3_posts")).contains("post_700,");

    client.delete("post_700");
    assertThat(servers.get(s1, "user_3_posts")).contains("");
  }
}
