package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every shardkv operation and rule, on two real servers: s1 owns [0,500], s2 owns [501,1000]. */
class ShardkvOperationsTest {
  private MiniCluster cluster;
  private Servers servers;
  private StoreClient client;
  private String s1;
  private String s2;

  @BeforeEach
  void startCluster() {
    cluster = MiniCluster.start();
    servers = new Servers(cluster);
    s1 = cluster.startAndJoin();
    s2 = cluster.startAndJoin();
    client = cluster.newStoreClient();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> cluster.server(s1).configuration().number() == 2
            && cluster.server(s2).configuration().number() == 2);
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  void putGetAppendDelete() {
    assertThat(client.put("user_7", "Alice", "").server()).isEqualTo(s1);
    assertThat(client.get("user_7").value()).isEqualTo("Alice");
    client.append("user_7", " Smith");
    assertThat(client.get("user_7").value()).isEqualTo("Alice Smith");
    client.put("user_7", "Bob", "");
    assertThat(servers.get(s1, "user_7")).contains("Bob");
    client.delete("user_7");
    assertThat(servers.get(s1, "user_7")).isEmpty();
  }

  @Test
  void appendToAMissingKeyBehavesAsPut() {
    client.append("post_600", "hello");
    assertThat(servers.get(s2, "post_600")).contains("hello");
  }

  @Test
  void missingKeysAreNotFound() {
    assertThatThrownBy(() -> client.get("user_3"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(() -> client.delete("user_3"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "user", "user_x", "user_-3", "user_1001", "post_99999999999999999999"})
  void malformedKeysAreInvalidArgument(String key) {
    assertThatThrownBy(() -> servers.stub(s1).get(GetRequest.newBuilder().setKey(key).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> servers.put(s1, key, "v", ""))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void aServerRefusesKeysItDoesNotOwnAndNamesTheOwner() {
    assertThatThrownBy(() -> servers.put(s1, "user_900", "x", ""))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("user_900", "900", s2);
              assertThat(Refusals.ownerHint(e)).contains(s2);
            });
    assertThat(servers.get(s2, "user_900")).isEmpty();
  }

  @Test
  void allUsersListsTheUsersEachServerHoldsInFirstStoredOrder() {
    assertThat(servers.allUsers(s1)).isEmpty();
    client.put("user_202", "C", "");
    client.put("user_1", "A", "");
    client.put("user_2", "B", "");
    client.put("user_1", "A again", "");
    client.put("user_1_posts", "", "");
    client.put("user_700", "D", "");
    assertThat(servers.allUsers(s1)).isEqualTo("user_202,user_1,user_2,");
    assertThat(servers.allUsers(s2)).isEqualTo("user_700,");
    client.delete("user_1");
    assertThat(servers.allUsers(s1)).isEqualTo("user_202,user_2,");
  }

  @Test
  void allUsersCannotBeWritten() {
    assertThatThrownBy(() -> servers.put(s1, "all_users", "x", ""))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> servers.append(s1, "all_users", "x"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> servers.delete(s1, "all_users"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void writingAPostRecordsItInItsAuthorsListOnAnotherServerOnce() {
    client.put("user_900", "Zed", "");
    client.put("post_5", "first!", "user_900");
    client.put("post_600", "second", "user_900");
    client.put("post_5", "first, edited", "user_900");
    assertThat(servers.get(s2, "user_900_posts")).contains("post_5,post_600,");
    assertThat(servers.get(s1, "post_5")).contains("first, edited");
  }

  @Test
  void deletingAPostTakesItOutOfItsAuthorsList() {
    client.put("post_5", "a", "user_900");
    client.put("post_6", "b", "user_900");
    client.put("post_601", "c", "user_900");
    client.delete("post_6");
    assertThat(servers.get(s2, "user_900_posts")).contains("post_5,post_601,");
    client.delete("post_601");
    assertThat(servers.get(s2, "user_900_posts")).contains("post_5,");
  }

  @Test
  void aPostThatChangesAuthorMovesBetweenLists() {
    client.put("post_5", "a", "user_1");
    client.put("post_5", "a", "user_900");
    assertThat(servers.get(s1, "user_1_posts")).contains("");
    assertThat(servers.get(s2, "user_900_posts")).contains("post_5,");
  }

  @Test
  void theUserFieldIsIgnoredOutsidePostsAndMustBeAUserOnPosts() {
    client.put("user_3", "Carol", "user_900");
    assertThat(servers.get(s2, "user_900_posts")).isEmpty();
    assertThatThrownBy(() -> client.put("post_3", "x", "bob"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(servers.get(s1, "post_3")).isEmpty();
  }

  @Test
  void hugeValuesAreRefusedAndStoreNothing() {
    String huge = "x".repeat(9 * 1024 * 1024);
    assertThatThrownBy(() -> servers.put(s1, "user_4", huge, ""))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(servers.get(s1, "user_4")).isEmpty();
  }

  @Test
  void unicodeAndEmptyValuesRoundTrip() {
    client.put("post_9", "héllo \u2603 \uD83D\uDE00", "");
    client.put("post_10", "", "");
    assertThat(client.get("post_9").value()).isEqualTo("héllo \u2603 \uD83D\uDE00");
    assertThat(client.get("post_10").value()).isEmpty();
  }
}
