package com.bacefook.store.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worst inputs {@link GatewayFuzzTest} sends, each once, deterministically: nesting far past
 * the parser's limit, 5 MiB bodies with and without a Content-Length, bytes that are not UTF-8, and
 * a handful of malformed JSON documents. Each is refused with a 4xx JSON error, promptly, changes
 * nothing, and leaves the gateway serving.
 */
@Tag("fuzz")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayWorstCasesTest {
  /** Far more than any of these takes; the store's deadline is 3 s. */
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  private static final List<String> WRITES =
      List.of("/addUser", "/addPost", "/deleteUser", "/deletePost");

  private FuzzGateway fixture;
  private FuzzHttp http;

  @BeforeAll
  void start() {
    fixture = FuzzGateway.start();
    http = new FuzzHttp(fixture.port());
    assertThat(post("/addUser", "{\"userId\":\"user_1\",\"userName\":\"Ann\"}").status())
        .isEqualTo(200);
  }

  @AfterAll
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** After every case: the gateway still answers, and holds only user_1 (and what a case added). */
  @AfterEach
  void stillServing() {
    FuzzHttp.Reply reply = get("/getAllUsers");
    assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
    assertThat(json(reply).findValuesAsText("userId")).contains("user_1");
    assertThat(json(get("/api/user?userId=user_1")).path("userName").asText()).isEqualTo("Ann");
  }

  private FuzzHttp.Reply send(FuzzRequest request) {
    try {
      return http.send(request, PROMPTLY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private FuzzHttp.Reply post(String path, byte[] body, boolean chunked) {
    return send(
        new FuzzRequest(
            "POST",
            path,
            List.of(Map.entry("Content-Type", "application/json")),
            body,
            chunked,
            false,
            false));
  }

  private FuzzHttp.Reply post(String path, String body) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), false);
  }

  private FuzzHttp.Reply get(String target) {
    return send(FuzzRequest.plain("GET", target, null));
  }

  private static JsonNode json(FuzzHttp.Reply reply) {
    try {
      return FuzzWorker.STRICT_JSON.readTree(reply.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + reply.describe(), e);
    }
  }

  /** A 4xx of {@code status} whose JSON error contains each fragment. */
  private static void assertRefused(FuzzHttp.Reply reply, int status, String... fragments) {
    assertThat(reply.status()).as(reply.describe()).isEqualTo(status);
    assertThat(FuzzWorker.errorProblem(reply)).as(reply.describe()).isNull();
    String error = json(reply).path("error").asText();
    for (String fragment : fragments) {
      assertThat(error).contains(fragment);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- nesting ----

  @Test
  void nestingFarPastTheLimitIsA400() {
    for (String path : WRITES) {
      for (String body :
          List.of(
              "[".repeat(10_000),
              "{\"a\":".repeat(5_000),
              JunkValues.nestedArray(10_000, "1"),
              JunkValues.nestedObject(1_001),
              "{\"userId\":\"user_2\",\"userName\":\"B\",\"x\":"
                  + JunkValues.nestedArray(1_000, "1")
                  + "}")) {
        assertRefused(post(path, body), 400, "nesting depth");
      }
    }
    assertThat(get("/api/user?userId=user_2").status()).isEqualTo(404);
  }

  @Test
  void nestingUnderTheLimitIsParsedAndAnIgnoredFieldStaysIgnored() {
    assertRefused(post("/addUser", JunkValues.nestedArray(999, "{}")), 400, "JSON object", "array");

    FuzzHttp.Reply reply =
        post(
            "/addUser",
            "{\"x\":"
                + JunkValues.nestedArray(900, "1")
                + ",\"userId\":\"user_3\",\"userName\":\"Cy\"}");

    assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
    assertThat(json(get("/api/user?userId=user_3")).path("userName").asText()).isEqualTo("Cy");
  }

  // ---- size ----

  @Test
  void fiveMibBodiesAreA413WithOrWithoutAContentLength() {
    byte[] huge = new byte[5 << 20];
    Arrays.fill(huge, (byte) '[');
    byte[] hugeName =
        concat(
            utf8("{\"userId\":\"user_4\",\"userName\":\""), utf8("n".repeat(5 << 20)), utf8("\"}"));
    for (String path : WRITES) {
      for (byte[] body : List.of(huge, hugeName)) {
        for (boolean chunked : List.of(false, true)) {
          long start = System.nanoTime();

          FuzzHttp.Reply reply = post(path, body, chunked);

          assertRefused(reply, 413, "65536");
          assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
        }
      }
    }
    assertThat(get("/api/user?userId=user_4").status()).isEqualTo(404);
  }

  @Test
  void aBodyOneByteOverTheLimitIsA413AndOneAtTheLimitIsRead() {
    String start = "{\"userId\":\"user_5\",\"userName\":\"Di\"}";
    byte[] atLimit = utf8(start + " ".repeat(64 * 1024 - start.length()));
    byte[] overLimit = utf8(start + " ".repeat(64 * 1024 - start.length() + 1));

    assertRefused(post("/addUser", overLimit, false), 413);
    assertRefused(post("/addUser", overLimit, true), 413);
    assertThat(post("/addUser", atLimit, true).status()).isEqualTo(200);
  }

  @Test
  void aHugeBodyOnAReadIsIgnored() {
    FuzzHttp.Reply reply =
        send(
            new FuzzRequest(
                "GET", "/getAllUsers", List.of(), new byte[5 << 20], true, false, false));

    assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
  }

  // ---- bytes that are not UTF-8 ----

  @ParameterizedTest
  @ValueSource(
      strings = {"ff", "fe", "80", "bf41", "c328", "e28241", "f09f9841", "f888808080", "eda080"})
  void bytesThatAreNotUtf8AreA400(String hex) {
    byte[] bad = hex(hex);
    byte[] inName = concat(utf8("{\"userId\":\"user_6\",\"userName\":\"A"), bad, utf8("B\"}"));
    byte[] inKey =
        concat(utf8("{\"userId\":\"user_6\",\"userName\":\"A\",\"x"), bad, utf8("\":1}"));
    byte[] outsideStrings =
        concat(utf8("{\"userId\":\"user_6\","), bad, utf8("\"userName\":\"A\"}"));

    for (byte[] body : List.of(inName, inKey, outsideStrings)) {
      for (boolean chunked : List.of(false, true)) {
        assertRefused(post("/addUser", body, chunked), 400, "not valid JSON");
      }
    }
    assertThat(get("/api/user?userId=user_6").status()).isEqualTo(404);
  }

  @Test
  void aQueryParameterThatIsNotUtf8IsA400() {
    for (String value : List.of("%FF", "%C3%28", "user_%FF", "%ED%A0%80", "user_%C0%B7")) {
      assertRefused(get("/api/user?userId=" + value), 400, "userId");
      assertRefused(get("/allUserPosts?userId=" + value), 400, "userId");
    }
  }

  // ---- malformed JSON ----

  static List<String> malformedBodies() {
    return List.of(
        "{\"userId\":\"user_7\",\"userName\":\"Ed\"",
        "{\"userId\":\"user_7\",\"userName\":\"Ed\"}}",
        "{\"userId\":\"user_7\",\"userName\":\"Ed\"} x",
        "{\"userId\":\"user_7\",\"userName\":NaN}",
        "{\"userId\":\"user_7\",\"userName\":Infinity}",
        "{\"userId\":user_7,\"userName\":\"Ed\"}",
        "{'userId':'user_7','userName':'Ed'}",
        "{\"userId\":\"user_7\",\"userName\":\"Ed\",}",
        "/* c */{\"userId\":\"user_7\",\"userName\":\"Ed\"}",
        "{\"userId\":\"user_7\",\"userName\":\"E\td\"}",
        "{\"userId\":\"user_7\",\"userName\":\"Ed\\x41\"}",
        "{\"userId\":\"user_7\",\"userName\":\"Ed\",\"n\":1" + "0".repeat(1_000) + "}",
        "{\"userId\":\"user_7\",\"userName\":\"Ed\",\"n\":-}",
        "\u0000{\"userId\":\"user_7\",\"userName\":\"Ed\"}",
        "userId=user_7&userName=Ed");
  }

  @ParameterizedTest
  @MethodSource("malformedBodies")
  void malformedJsonIsA400(String body) {
    assertRefused(post("/addUser", body), 400, "JSON");
    assertThat(get("/api/user?userId=user_7").status()).isEqualTo(404);
  }

  @Test
  void hugeNumbersAndWrongTypesInEveryFieldAreA400() {
    String digits = "9".repeat(1_001);
    for (String value :
        List.of(
            "1" + "0".repeat(400),
            "1e999",
            "-0",
            digits,
            "true",
            "null",
            "[]",
            "{}",
            "[\"user_8\"]",
            "{\"userId\":\"user_8\"}")) {
      assertRefused(post("/addUser", "{\"userId\":" + value + ",\"userName\":\"F\"}"), 400);
      assertRefused(post("/addUser", "{\"userId\":\"user_8\",\"userName\":" + value + "}"), 400);
      assertRefused(post("/deleteUser", "{\"id\":" + value + "}"), 400);
      assertRefused(post("/deletePost", "{\"postId\":" + value + ",\"userId\":\"user_1\"}"), 400);
      assertRefused(
          post(
              "/addPost",
              "{\"postId\":\"post_8\",\"postContent\":" + value + ",\"userId\":\"user_1\"}"),
          400);
    }
    assertThat(get("/api/user?userId=user_8").status()).isEqualTo(404);
    assertThat(json(get("/allUserPosts?userId=user_1")).path("posts")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "user_-1",
        "user_1001",
        "user_99999999999999999999",
        "user_01",
        "user_ 1",
        "user_1 ",
        "post_1",
        "user_\u0661",
        "user_\uff11",
        "user_1\u0000",
        "user_1_posts"
      })
  void almostValidIdsAreA400(String userId) {
    String id = ApiJson.string(userId);
    assertRefused(post("/addUser", "{\"userId\":" + id + ",\"userName\":\"G\"}"), 400, "userId");
    assertRefused(post("/deleteUser", "{\"id\":" + id + "}"), 400, "id");
    assertRefused(
        post("/addPost", "{\"postId\":\"post_9\",\"postContent\":\"x\",\"userId\":" + id + "}"),
        400,
        "userId");
  }

  private static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** JSON text for test inputs. */
  static final class ApiJson {
    private ApiJson() {}

    static String string(String s) {
      try {
        return FuzzWorker.STRICT_JSON.writeValueAsString(s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
