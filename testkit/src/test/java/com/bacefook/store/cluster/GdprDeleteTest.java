package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GDPRDelete across three servers: s1 [0,333], s2 [334,667], s3 [668,1000]. */
class GdprDeleteTest {
  private MiniCluster cluster;
  private Servers servers;
  private StoreClient client;
  private String s1;
  private String s2;
  private String s3;

  @BeforeEach
  void startCluster() {
    cluster = MiniCluster.start();
    servers = new Servers(cluster);
    s1 = cluster.startAndJoin();
    s2 = cluster.startAndJoin();
    s3 = cluster.startAndJoin();
    client = cluster.newStoreClient();
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  void erasesTheUserAndEveryPostWhereverItLives() {
    client.put("user_500", "Dana", "");
    client.put("user_10", "Eve", "");
    client.put("post_1", "one", "user_500");
    client.put("post_400", "two", "user_500");
    client.put("post_999", "three", "user_500");
    client.put("post_2", "not hers", "user_10");

    cluster.shardmasterClient().gdprDelete("user_500");

    assertThat(servers.get(s1, "post_1")).isEmpty();
    assertThat(servers.get(s2, "post_400")).isEmpty();
    assertThat(servers.get(s3, "post_999")).isEmpty();
    assertThat(servers.get(s2, "user_500_posts")).isEmpty();
    assertThat(servers.get(s2, "user_500")).isEmpty();
    assertThat(servers.allUsers(s2)).isEmpty();
    assertThat(servers.allUsers(s1)).isEqualTo("user_10,");
    assertThat(servers.get(s1, "post_2")).contains("not hers");
    assertThat(servers.get(s1, "user_10_posts")).contains("post_2,");
  }

  @Test
  void aUserWithoutPostsIsErasedToo() {
    client.put("user_800", "Finn", "");
    cluster.shardmasterClient().gdprDelete("user_800");
    assertThat(servers.get(s3, "user_800")).isEmpty();
  }

  @Test
  void unknownUsersAreNotFound() {
    assertThatThrownBy(() -> cluster.shardmasterClient().gdprDelete("user_42"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "user", "user_x", "user_1001", "post_5", "user_5_posts"})
  void malformedKeysAreInvalidArgument(String key) {
    assertThatThrownBy(() -> cluster.shardmasterClient().gdprDelete(key))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void anUnreachableServerMakesTheDeleteFailRatherThanPretend() {
    client.put("user_900", "Gus", "");
    client.put("post_100", "x", "user_900");
    cluster.stopServer(s1);
    assertThatThrownBy(() -> cluster.shardmasterClient().gdprDelete("user_900"))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("incomplete");
    assertThat(servers.get(s3, "user_900")).contains("Gus");
  }
}
