package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.MiniCluster;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON API against a real cluster (a shardmaster and three storage servers on loopback): every
 * endpoint's happy path, and each kind of bad input answered with a 4xx and a readable message.
 * Tests share the cluster, so each uses its own user and post IDs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayApiTest {
  private MiniCluster cluster;
  private GatewayServer gateway;
  private ApiClient api;
  private StoreClient store;

  @BeforeAll
  void start() {
    cluster = MiniCluster.start();
    for (int i = 0; i < 3; i++) {
      cluster.startAndJoin();
    }
    gateway = GatewayServer.start(cluster.shardmasterAddress(), 0);
    api = new ApiClient(gateway.port());
    store = cluster.newStoreClient();
  }

  @AfterAll
  void stop() {
    gateway.close();
    cluster.close();
  }

  private ApiClient.Answer addUser(String userId, String name) {
    return api.post("/addUser", ApiClient.json(Map.of("userId", userId, "userName", name)));
  }

  private ApiClient.Answer addPost(String postId, String text, String userId) {
    return api.post(
        "/addPost",
        ApiClient.json(Map.of("postId", postId, "postContent", text, "userId", userId)));
  }

  private String ownerOf(String key) {
    return cluster.shardmasterClient().query().ownerOf(KeyId.of(key)).orElseThrow();
  }

  private static void assertError(ApiClient.Answer answer, int status, String... fragments) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/json");
    assertThat(answer.error()).as(answer.body()).isNotBlank();
    for (String fragment : fragments) {
      assertThat(answer.error()).contains(fragment);
    }
  }

  @Nested
  class Users {
    @Test
    void addUserAnswersTheServerThatHoldsTheUser() {
      ApiClient.Answer answer = addUser("user_101", "Alice");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().isTextual()).as(answer.body()).isTrue();
      assertThat(answer.json().asText()).isEqualTo(ownerOf("user_101"));
      assertThat(store.get("user_101").value()).isEqualTo("Alice");
    }

    @Test
    void getAllUsersListsEveryUserWithNameAndServer() {
      addUser("user_102", "Bob");
      addUser("user_902", "Carol");

      ApiClient.Answer answer = api.get("/getAllUsers");

      assertThat(answer.status()).isEqualTo(200);
      List<String> rows = new ArrayList<>();
      for (JsonNode user : answer.json().get("users")) {
        rows.add(
            user.get("userId").asText() + "|" + user.get("userName").asText() + "|"
                + user.get("shard").asText());
      }
      assertThat(rows)
          .contains(
              "user_102|Bob|" + ownerOf("user_102"), "user_902|Carol|" + ownerOf("user_902"));
    }

    @Test
    void oneUserIsLookedUpByItsId() {
      addUser("user_103", "Dora");

      ApiClient.Answer answer = api.get("/api/user?userId=user_103");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().get("userName").asText()).isEqualTo("Dora");
      assertThat(answer.json().get("shard").asText()).isEqualTo(ownerOf("user_103"));
      assertError(api.get("/api/user?userId=user_104"), 404, "user_104");
    }

    @Test
    void aTakenUserIdIsRefused() {
      addUser("user_105", "Erin");

      assertError(addUser("user_105", "Mallory"), 409, "user_105", "taken");
      assertThat(store.get("user_105").value()).isEqualTo("Erin");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"user_1001", "user_-1", "user_abc", "user_", "user", "post_5", "user_05",
          "user_5_posts", "", " user_5", "USER_5"})
    void anInvalidUserIdIsRefused(String userId) {
      assertError(addUser(userId, "Frank"), 400, "userId");
    }

    @Test
    void aBlankOrOverlongNameIsRefused() {
      assertError(addUser("user_106", "   "), 400, "userName", "empty");
      assertError(addUser("user_106", "x".repeat(81)), 400, "userName", "limit");
      assertError(api.get("/api/user?userId=user_106"), 404);
    }

    @Test
    void theNameIsStoredWithoutSurroundingBlanks() {
      addUser("user_107", "  Grace  ");

      assertThat(api.get("/api/user?userId=user_107").json().get("userName").asText())
          .isEqualTo("Grace");
    }

    @Test
    void deleteUserErasesTheUserAndAllTheirPosts() {
      addUser("user_108", "Heidi");
      addPost("post_108", "first", "user_108");
      addPost("post_908", "second", "user_108");

      ApiClient.Answer answer = api.post("/deleteUser", "{\"id\": \"user_108\"}");

      assertThat(answer.status()).as(answer.body()).isEqualTo(204);
      assertThat(answer.body()).isEmpty();
      assertError(api.get("/allUserPosts?userId=user_108"), 404, "user_108");
      assertThat(api.get("/getAllUsers").json().findValuesAsText("userId"))
          .doesNotContain("user_108");
      for (String key : List.of("user_108", "post_108", "post_908", "user_108_posts")) {
        assertThat(notFound(key)).as(key).isTrue();
      }
    }

    @Test
    void deletingAnUnknownOrInvalidUserIsRefused() {
      assertError(api.post("/deleteUser", "{\"id\": \"user_109\"}"), 404, "user_109");
      assertError(api.post("/deleteUser", "{\"id\": \"post_109\"}"), 400, "id");
      assertError(api.post("/deleteUser", "{\"userId\": \"user_109\"}"), 400, "'id'", "missing");
    }
  }

  @Nested
  class Posts {
    @Test
    void aPostIsListedWithItsTextAndServer() {
      addUser("user_201", "Ivan");

      ApiClient.Answer added = addPost("post_701", "Hello, shards!", "user_201");
      ApiClient.Answer listed = api.get("/allUserPosts?userId=user_201");

      assertThat(added.status()).as(added.body()).isEqualTo(200);
      assertThat(added.json().asText()).isEqualTo(ownerOf("post_701"));
      assertThat(listed.status()).isEqualTo(200);
      JsonNode post = listed.json().get("posts").get(0);
      assertThat(post.get("postId").asText()).isEqualTo("post_701");
      assertThat(post.get("postContent").asText()).isEqualTo("Hello, shards!");
      assertThat(post.get("shard").asText()).isEqualTo(ownerOf("post_701"));
    }

    @Test
    void postTextIsStoredAndReturnedVerbatim() {
      addUser("user_202", "Judy");
      String text = "<img src=x onerror=alert(1)> & \"quotes\" \u00e9\u6f22\n<script>x</script>";

      addPost("post_702", text, "user_202");

      JsonNode posts = api.get("/allUserPosts?userId=user_202").json().get("posts");
      assertThat(posts.get(0).get("postContent").asText()).isEqualTo(text);
    }

    @Test
    void aUserWithoutPostsHasAnEmptyWall() {
      addUser("user_203", "Ken");

      ApiClient.Answer answer = api.get("/allUserPosts?userId=user_203");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().get("posts")).isEmpty();
    }

    @Test
    void anAuthorMayRewriteTheirPostButNotTakeAnother() {
      addUser("user_204", "Leo");
      addUser("user_205", "Mia");
      addPost("post_704", "draft", "user_204");

      assertThat(addPost("post_704", "final", "user_204").status()).isEqualTo(200);
      assertError(addPost("post_704", "mine now", "user_205"), 409, "post_704", "taken");
      assertThat(store.get("post_704").value()).isEqualTo("final");
      assertThat(api.get("/allUserPosts?userId=user_205").json().get("posts")).isEmpty();
    }

    @Test
    void deletePostRemovesItFromTheWall() {
      addUser("user_206", "Nia");
      addPost("post_706", "short-lived", "user_206");
      addPost("post_707", "stays", "user_206");

      ApiClient.Answer answer =
          api.post("/deletePost", "{\"postId\": \"post_706\", \"userId\": \"user_206\"}");

      assertThat(answer.status()).as(answer.body()).isEqualTo(204);
      assertThat(api.get("/allUserPosts?userId=user_206").json().findValuesAsText("postId"))
          .containsExactly("post_707");
      assertThat(notFound("post_706")).isTrue();
      assertError(
          api.post("/deletePost", "{\"postId\": \"post_706\", \"userId\": \"user_206\"}"),
          404,
          "post_706");
    }

    @Test
    void onlyTheAuthorsWallCanLoseAPost() {
      addUser("user_207", "Oscar");
      addUser("user_208", "Peggy");
      addPost("post_708", "Oscar's", "user_207");

      assertError(
          api.post("/deletePost", "{\"postId\": \"post_708\", \"userId\": \"user_208\"}"),
          404,
          "user_208",
          "post_708");
      assertThat(store.get("post_708").value()).isEqualTo("Oscar's");
    }

    @Test
    void postingForAnUnknownUserIsRefused() {
      assertError(addPost("post_709", "ghost", "user_209"), 404, "user_209");
      assertThat(notFound("post_709")).isTrue();
      assertError(api.get("/allUserPosts?userId=user_209"), 404, "user_209");
      assertError(
          api.post("/deletePost", "{\"postId\": \"post_709\", \"userId\": \"user_209\"}"),
          404,
          "user_209");
    }

    @ParameterizedTest
    @ValueSource(strings = {"post_1001", "post_x", "user_5", "post_007", "post", ""})
    void anInvalidPostIdIsRefused(String postId) {
      addUser("user_210", "Quinn");

      assertError(addPost(postId, "text", "user_210"), 400, "postId");
      assertError(
          api.post("/deletePost", ApiClient.json(Map.of("postId", postId, "userId", "user_210"))),
          400,
          "postId");
    }

    @Test
    void emptyOrOverlongPostsAreRefused() {
      addUser("user_211", "Rita");

      assertError(addPost("post_711", "  \n ", "user_211"), 400, "postContent", "empty");
      assertError(addPost("post_711", "x".repeat(5001), "user_211"), 400, "postContent", "limit");
    }

    @Test
    void wallsNeedAValidUserIdParameter() {
      assertError(api.get("/allUserPosts"), 400, "userId", "missing");
      assertError(api.get("/allUserPosts?userId=user_1234"), 400, "userId");
      assertError(api.get("/api/user"), 400, "userId");
    }

    @Test
    void freePostIdSuggestsAnIdThatHoldsNoPost() {
      ApiClient.Answer answer = api.get("/api/freePostId");

      assertThat(answer.status()).isEqualTo(200);
      String postId = answer.json().get("postId").asText();
      assertThat(postId).matches("post_(0|[1-9][0-9]{0,2}|1000)");
      assertThat(notFound(postId)).isTrue();
    }
  }

  @Nested
  class Bodies {
    @Test
    void fieldsOfTheWrongJsonTypeAreRefused() {
      assertError(
          api.post("/addUser", "{\"userId\": 5, \"userName\": \"Sam\"}"), 400, "userId", "number");
      assertError(
          api.post("/addUser", "{\"userId\": \"user_301\", \"userName\": true}"),
          400,
          "userName",
          "boolean");
      assertError(
          api.post("/addUser", "{\"userId\": [\"user_301\"], \"userName\": \"Sam\"}"),
          400,
          "userId",
          "array");
      assertError(
          api.post("/addPost", "{\"postId\": \"post_301\", \"postContent\": {}, \"userId\": \"u\"}"),
          400,
          "postContent",
          "object");
      assertError(api.post("/deleteUser", "{\"id\": 1.5}"), 400, "id", "number");
    }

    @Test
    void missingOrNullFieldsAreRefused() {
      assertError(api.post("/addUser", "{\"userId\": \"user_302\"}"), 400, "userName", "missing");
      assertError(
          api.post("/addUser", "{\"userId\": \"user_302\", \"userName\": null}"),
          400,
          "userName",
          "missing");
      assertError(
          api.post("/addPost", "{\"postId\": \"post_302\", \"userId\": \"user_302\"}"),
          400,
          "postContent");
      assertError(api.post("/deletePost", "{\"postId\": \"post_302\"}"), 400, "userId");
      assertError(api.get("/api/user?userId=user_302"), 404);
    }

    @Test
    void malformedJsonIsRefused() {
      assertError(api.post("/addUser", "{\"userId\": \"user_303\""), 400, "not valid JSON");
      assertError(api.post("/addUser", "userId=user_303&userName=Tom"), 400, "not valid JSON");
      assertError(
          api.post("/addUser", "{\"userId\": \"user_303\", \"userName\": \"Tom\"} {}"),
          400,
          "not valid");
      assertError(api.get("/api/user?userId=user_303"), 404);
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
      assertError(api.post("/addUser", "[\"user_304\", \"Uma\"]"), 400, "JSON object", "array");
      assertError(api.post("/addUser", "\"user_304\""), 400, "JSON object", "string");
      assertError(api.post("/addUser", "null"), 400, "JSON object");
      assertError(api.post("/addUser", ""), 400, "empty");
      assertError(api.post("/deleteUser", "  "), 400, "empty");
    }

    @Test
    void anOversizedBodyIsRefused() {
      String name = "x".repeat(JsonCodec.MAX_BODY_BYTES);
      String body = ApiClient.json(Map.of("userId", "user_305", "userName", name));

      assertError(api.post("/addUser", body), 413, "limit");
      assertError(
          api.postChunked("/addPost", body.getBytes(StandardCharsets.UTF_8)), 413, "limit");
      assertError(api.get("/api/user?userId=user_305"), 404);
    }

    @Test
    void unknownFieldsAreIgnored() {
      ApiClient.Answer answer =
          api.post("/addUser", "{\"userId\": \"user_306\", \"userName\": \"Vic\", \"age\": 3}");

      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndWrongMethodsAnswerJson() {
      assertError(api.get("/nope"), 404, "/nope");
      assertError(api.post("/getAllUsers", "{}"), 405, "GET");
      assertError(api.get("/addUser"), 405, "POST");
    }
  }

  @Nested
  class WebUi {
    @Test
    void theAppIsServedFromTheJarWithAStrictContentSecurityPolicy() {
      ApiClient.Answer page = api.get("/");

      assertThat(page.status()).isEqualTo(200);
      assertThat(page.contentType()).startsWith("text/html");
      assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
      for (String asset : List.of("/js/app.js", "/js/dom.js", "/css/app.css", "/favicon.svg")) {
        assertThat(api.get(asset).status()).as(asset).isEqualTo(200);
      }
      assertThat(api.get("/js/app.js").contentType()).contains("javascript");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
      for (String path : List.of("/", "/getAllUsers", "/nope")) {
        HttpHeaders headers = api.headers(path);
        assertThat(headers.firstValue("Content-Security-Policy").orElse(""))
            .as(path)
            .contains("script-src 'self'")
            .contains("object-src 'none'");
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
      }
    }

    @Test
    void theScriptsNeverParseHtml() {
      for (String script : List.of("app", "api", "auth", "cluster", "dom", "people", "wall")) {
        String source = api.get("/js/" + script + ".js").body();
        assertThat(source)
            .as(script)
            .doesNotContain("innerHTML")
            .doesNotContain("outerHTML")
            .doesNotContain("insertAdjacentHTML")
            .doesNotContain("document.write")
            .doesNotContain("eval(");
      }
    }
  }

  @Nested
  class ClusterViews {
    @Test
    void queryAnswersTheConfigurationInTheWireShape() {
      Configuration config = cluster.shardmasterClient().query();

      JsonNode answer = api.get("/query").json();

      assertThat(answer.get("configNum").asLong()).isEqualTo(config.number());
      assertThat(answer.get("config")).hasSize(3);
      JsonNode first = answer.get("config").get(0);
      assertThat(first.get("server").asText()).isEqualTo(config.servers().get(0).server());
      ShardRange range = config.servers().get(0).ranges().get(0);
      assertThat(first.get("shards").get(0).get("lower").asInt()).isEqualTo(range.lower());
      assertThat(first.get("shards").get(0).get("upper").asInt()).isEqualTo(range.upper());
    }

    @Test
    void clusterCoversEveryKeyIdOnce() {
      JsonNode answer = api.get("/api/cluster").json();

      assertThat(answer.get("configNum").asLong()).isPositive();
      assertThat(answer.get("servers")).hasSize(3);
      int ids = 0;
      int covered = 0;
      for (JsonNode server : answer.get("servers")) {
        assertThat(server.has("keys")).as("'keys' was renamed 'ids': it counts IDs").isFalse();
        ids += server.get("ids").asInt();
        for (JsonNode range : server.get("ranges")) {
          assertThat(range).hasSize(2);
          covered += range.get(1).asInt() - range.get(0).asInt() + 1;
        }
      }
      assertThat(ids).isEqualTo(KeyId.COUNT);
      assertThat(covered).isEqualTo(KeyId.COUNT);
    }

    @Test
    void clusterFollowsAMove() {
      Configuration before = cluster.shardmasterClient().query();
      String target = before.servers().get(2).server();
      addUser("user_3", "Wendy");

      cluster.shardmasterClient().move(target, new ShardRange(0, 9));

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode answer = api.get("/api/cluster").json();
                assertThat(answer.get("configNum").asLong()).isEqualTo(before.number() + 1);
                JsonNode moved = null;
                for (JsonNode server : answer.get("servers")) {
                  if (server.get("server").asText().equals(target)) {
                    moved = server;
                  }
                }
                assertThat(moved).isNotNull();
                assertThat(moved.get("ranges").toString()).contains("[0,9]");
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(api.get("/api/user?userId=user_3").json().get("shard").asText())
                      .isEqualTo(target));
    }
  }

  private boolean notFound(String key) {
    try {
      store.get(key);
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.NOT_FOUND;
    }
  }
}
