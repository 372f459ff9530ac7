package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.bacefook.store.gateway.dashboard.ClusterDashboard;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.testkit.FreePorts;
import com.bacefook.store.testkit.MiniCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * A cluster that cannot answer is a 503 within seconds, never a hang: neither a shardmaster nobody
 * listens for, nor a storage server that stopped. Lists gathered from every server answer with the
 * servers that did answer and name the others.
 */
class UnreachableClusterTest {
  /** The store's operation deadline plus generous slack for a loaded machine. */
  private static final Duration PROMPTLY = Duration.ofSeconds(8);

  private GatewayServer gateway;
  private MiniCluster cluster;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ApiClient.Answer call(ApiClient api, String method, String path, String body) {
    return method.equals("GET") ? api.get(path) : api.post(path, body);
  }

  private static void assertUnavailablePromptly(
      ApiClient api, String method, String path, String body) {
    long start = System.nanoTime();

    ApiClient.Answer answer = call(api, method, path, body);

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(answer.status()).as(method + " " + path + ": " + answer.body()).isEqualTo(503);
    assertThat(answer.error()).contains("try again");
    assertThat(took).as(method + " " + path).isLessThan(PROMPTLY);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET|/getAllUsers|",
        "GET|/allUserPosts?userId=user_1|",
        "GET|/query|",
        "GET|/api/cluster|",
        "GET|/api/user?userId=user_1|",
        "GET|/api/freePostId|",
        "POST|/addUser|{\"userId\": \"user_1\", \"userName\": \"Ann\"}",
        "POST|/addPost|{\"postId\": \"post_1\", \"postContent\": \"hi\", \"userId\": \"user_1\"}",
        "POST|/deletePost|{\"postId\": \"post_1\", \"userId\": \"user_1\"}",
        "POST|/deleteUser|{\"id\": \"user_1\"}"
      })
  void everyEndpointAnswers503WhenTheShardmasterIsUnreachable(
      String method, String path, String body) {
    gateway = GatewayServer.start("127.0.0.1:" + FreePorts.next(), 0);

    assertUnavailablePromptly(new ApiClient(gateway.port()), method, path, body);
  }

  @Test
  void theGatewayWarnsAtStartAndItsErrorsNameTheShardmaster() {
    String address = "127.0.0.1:" + FreePorts.next();
    Logger logger = (Logger) LoggerFactory.getLogger(ClusterDashboard.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      gateway = GatewayServer.start(address, 0);

      await("a WARN naming " + address)
          .atMost(PROMPTLY)
          .until(() -> warned(logged, address));
    } finally {
      logger.detachAppender(logged);
    }
    ApiClient api = new ApiClient(gateway.port());
    assertThat(api.get("/getAllUsers").error()).contains("shardmaster " + address);
    assertThat(api.get("/api/dashboard").json().path("shardmasterError").asText())
        .startsWith("UNAVAILABLE");
  }

  /** Returns whether {@code logged} holds a WARN mentioning {@code text}. */
  private static boolean warned(ListAppender<ILoggingEvent> logged, String text) {
    synchronized (logged) { // ListAppender appends under this lock
      return logged.list.stream()
          .anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text));
    }
  }

  @Test
  void badInputIsStillRefusedAs400WithoutTheCluster() {
    gateway = GatewayServer.start("127.0.0.1:" + FreePorts.next(), 0);
    ApiClient api = new ApiClient(gateway.port());

    assertThat(api.post("/addUser", "{\"userId\": \"user_5000\", \"userName\": \"A\"}").status())
        .isEqualTo(400);
    assertThat(api.get("/allUserPosts").status()).isEqualTo(400);
  }

  @Test
  void aStoppedStorageServerIs503ForItsKeysOnly() {
    cluster = MiniCluster.start();
    String first = cluster.startAndJoin();
    cluster.startAndJoin();
    gateway = GatewayServer.start(cluster.shardmasterAddress(), 0);
    ApiClient api = new ApiClient(gateway.port());
    Configuration config = cluster.shardmasterClient().query();
    String onFirst = null;
    String elsewhere = null;
    for (int id = KeyId.MIN; id <= KeyId.MAX; id++) {
      if (config.isOwner(first, id)) {
        onFirst = onFirst == null ? "user_" + id : onFirst;
      } else {
        elsewhere = elsewhere == null ? "user_" + id : elsewhere;
      }
    }
    for (String user : new String[] {onFirst, elsewhere}) {
      assertThat(api.post("/addUser", ApiClient.json(Map.of("userId", user, "userName", "X")))
              .status())
          .isEqualTo(200);
    }

    cluster.stopServer(first);

    assertUnavailablePromptly(api, "GET", "/api/user?userId=" + onFirst, null);
    assertThat(api.get("/api/user?userId=" + elsewhere).status()).isEqualTo(200);
  }

  @Test
  void allUsersAnswersWithTheServersThatAnsweredAndNamesTheOthers() {
    cluster = MiniCluster.start();
    String first = cluster.startAndJoin();
    String second = cluster.startAndJoin();
    gateway = GatewayServer.start(cluster.shardmasterAddress(), 0);
    ApiClient api = new ApiClient(gateway.port());
    for (String user : new String[] {"user_1", "user_900"}) {
      assertThat(api.post("/addUser", ApiClient.json(Map.of("userId", user, "userName", "X")))
              .status())
          .isEqualTo(200);
    }
    assertThat(api.get("/getAllUsers").json().get("unanswered")).isEmpty();

    cluster.stopServer(second);
    long start = System.nanoTime();
    ApiClient.Answer answer = api.get("/getAllUsers");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().get("users").findValuesAsText("userId")).containsExactly("user_1");
    assertThat(answer.json().get("users").findValuesAsText("shard")).containsExactly(first);
    assertThat(answer.json().get("unanswered")).hasSize(1);
    assertThat(answer.json().get("unanswered").get(0).get("server").asText()).isEqualTo(second);
    assertThat(answer.json().get("unanswered").get(0).get("error").asText())
        .startsWith("UNAVAILABLE");

    cluster.stopServer(first);
    assertUnavailablePromptly(api, "GET", "/getAllUsers", null);
  }
}
