package com.bacefook.store.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.testkit.fuzz.Shown;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link GatewayFuzzTest} found (issue #7), each cut down to a deterministic reproduction that
 * asserts what the README promises: bad input is a 4xx with {@code {"error": "..."}}, never a 5xx,
 * and what a 200 accepted is what the store holds. They fail until the gateway is fixed.
 */
@Tag("fuzz")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayFindingsTest {
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  private FuzzGateway fixture;
  private FuzzHttp http;

  @BeforeAll
  void start() {
    fixture = FuzzGateway.start();
    http = new FuzzHttp(fixture.port());
  }

  @AfterAll
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
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

  private FuzzHttp.Reply post(String path, byte[] body) {
    return send(FuzzRequest.plain("POST", path, body));
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

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  // ---- 1. a body that ends early is a 500 ----

  /**
   * A body shorter than its Content-Length, or chunks that are cut off or malformed: the client
   * sent a broken request, and {@code JsonCodec.body} turns Jetty's {@code EofException} / {@code
   * BadMessageException} into an {@code UncheckedIOException}, which {@code ApiErrors} answers 500
   * "internal error: java.io.UncheckedIOException: could not read the request body" and logs at
   * ERROR with a stack trace. Expected: a 400 that says the body ended early, and no ERROR.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Content-Length: 100\r\n\r\n{\"userId\"",
        "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":"
      })
  void aBodyThatEndsEarlyIsA400NotA500(String headersAndBody) {
    RawHttp.Answer answer;
    List<String> logged;
    try (GatewayLog log = GatewayLog.capture()) {
      answer =
          RawHttp.exchange(
              fixture.port(),
              "POST /addUser HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Connection: close\r\n"
                  + headersAndBody,
              PROMPTLY);
      logged = log.problems();
    }

    SoftAssertions.assertSoftly(
        softly -> {
          softly.assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
          softly.assertThat(answer.header("Content-Type")).startsWith("application/json");
          softly.assertThat(logged).as("what the gateway logged").isEmpty();
        });
  }

  // ---- 2. errors Jetty answers before the gateway sees the request are HTML ----

  /**
   * A request line over 8 KiB (414), headers over 8 KiB (431), a path with an encoded dot segment
   * or NUL (400): Jetty refuses them itself and answers {@code text/html} {@code <h1>Bad Message
   * 414</h1>...}, not the JSON error every other refusal gets. (Javalin installs no Jetty {@code
   * ErrorHandler}; one that writes {@code {"error": reason}} would cover all of these.)
   */
  @Test
  void refusalsJettyMakesItselfAreJsonToo() {
    Map<FuzzRequest, Integer> requests =
        Map.of(
            FuzzRequest.plain("GET", "/api/user?userId=" + "a".repeat(9_000), null),
            414,
            new FuzzRequest(
                "GET",
                "/getAllUsers",
                List.of(Map.entry("X-Big", "b".repeat(9_000))),
                null,
                false,
                false,
                false),
            431,
            FuzzRequest.plain("GET", "/%2e%2e/%2e%2e/etc/passwd", null),
            400,
            FuzzRequest.plain("GET", "/api/%00", null),
            400);
    RawHttp.Answer badLength =
        RawHttp.exchange(
            fixture.port(),
            "POST /addUser HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}",
            PROMPTLY);
    SoftAssertions.assertSoftly(
        softly -> {
          requests.forEach(
              (request, status) -> {
                FuzzHttp.Reply reply = send(request);

                softly.assertThat(reply.status()).as(request.describe()).isEqualTo(status);
                softly.assertThat(FuzzWorker.errorProblem(reply)).as(reply.describe()).isNull();
              });
          softly.assertThat(badLength.status()).as(badLength.raw()).isEqualTo(400);
          softly
              .assertThat(badLength.header("Content-Type"))
              .as(badLength.raw())
              .startsWith("application/json");
        });
  }

  // ---- 3. lone surrogates are accepted and stored as '?' ----

  /**
   * JSON may escape half of a surrogate pair ({@code "\ud800"}); Jackson accepts it in a value (not
   * in a key, nor as raw CESU-8 bytes), the gateway answers 200, and the store keeps {@code '?'}
   * instead (protobuf encodes strings as UTF-8, which cannot hold a lone surrogate). What a 200
   * accepted must read back unchanged; or the gateway must refuse it with a 400.
   */
  @Test
  void aLoneSurrogateIsRefusedOrKeptExactly() {
    String name = "Ann \ud800";
    String text = "half an emoji: \ud83d";
    FuzzHttp.Reply addUser =
        post("/addUser", utf8("{\"userId\":\"user_30\",\"userName\":\"Ann \\ud800\"}"));
    FuzzHttp.Reply user = get("/api/user?userId=user_30");
    if (addUser.status() == 200) {
      assertThat(Shown.text(json(user).path("userName").asText(), 40))
          .as("userName accepted with 200, read back")
          .isEqualTo(Shown.text(name, 40));
    } else {
      assertThat(addUser.status()).as(addUser.describe()).isEqualTo(400);
      assertThat(user.status()).isEqualTo(404);
    }

    post("/addUser", utf8("{\"userId\":\"user_31\",\"userName\":\"Bo\"}"));
    FuzzHttp.Reply addPost =
        post(
            "/addPost",
            utf8(
                "{\"postId\":\"post_31\",\"postContent\":\"half an emoji:"
                    + " \\ud83d\",\"userId\":\"user_31\"}"));
    JsonNode posts = json(get("/allUserPosts?userId=user_31")).path("posts");
    if (addPost.status() == 200) {
      assertThat(Shown.text(posts.path(0).path("postContent").asText(), 40))
          .as("postContent accepted with 200, read back")
          .isEqualTo(Shown.text(text, 40));
    } else {
      assertThat(addPost.status()).as(addPost.describe()).isEqualTo(400);
      assertThat(posts).isEmpty();
    }
  }

  // ---- 4. some invalid UTF-8 is accepted ----

  /**
   * Jackson's UTF-8 decoder lets some invalid sequences through: overlong forms ({@code C0 80} is
   * NUL, {@code C0 AF} and {@code E0 80 AF} are '/', {@code C0 B7} is '7') and four-byte sequences
   * past U+10FFFF ({@code F4 90 80 80}, {@code F5 80 80 80}, stored as "??"). The gateway answers
   * 200 and stores the decoded text; {@code "user_\xC0\xB7"} even signs up {@code user_7}. Other
   * invalid bytes are a 400 (see {@link GatewayWorstCasesTest}); these must be too.
   */
  @ParameterizedTest
  @CsvSource({"c080, 41", "c0af, 42", "e080af, 43", "f4908080, 44", "f5808080, 45"})
  void everyInvalidUtf8SequenceIsA400(String sequence, int id) {
    String userId = "user_" + id;
    FuzzHttp.Reply reply =
        post(
            "/addUser",
            concat(
                utf8("{\"userId\":\"" + userId + "\",\"userName\":\"A"),
                hex(sequence),
                utf8("B\"}")));

    assertThat(reply.status()).as(reply.describe()).isEqualTo(400);
    assertThat(get("/api/user?userId=" + userId).status()).isEqualTo(404);
  }

  @Test
  void anOverlongDigitDoesNotSpellAUserId() {
    FuzzHttp.Reply reply =
        post(
            "/addUser",
            concat(utf8("{\"userId\":\"user_"), hex("c0b7"), utf8("\",\"userName\":\"Eve\"}")));

    assertThat(reply.status()).as(reply.describe()).isEqualTo(400);
    assertThat(get("/api/user?userId=user_7").status()).isEqualTo(404);
  }

  // ---- 5. a bad Range on a static file gets a broken answer ----

  /**
   * {@code GET /favicon.svg} with an unsatisfiable or malformed Range ({@code bytes=abc}, {@code
   * bytes=5-1}, {@code items=0-1}, {@code bytes=999999-}) is answered {@code 416} with {@code
   * Content-Length: 257} (the file's length) and no body at all, then the connection closes: an
   * HTTP client waits for 257 bytes that never come ({@code java.net.http} fails with "fixed
   * content-length: 257, bytes received: 0"). An answer's body must be as long as it says.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bytes=abc", "bytes=5-1", "items=0-1", "bytes=999999-"})
  void aBadRangeOnAStaticFileGetsACompleteAnswer(String range) {
    RawHttp.Answer answer =
        RawHttp.exchange(
            fixture.port(),
            "GET /favicon.svg HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: " + range + "\r\n\r\n",
            PROMPTLY);

    assertThat(answer.status()).as(answer.raw()).isBetween(200, 499);
    assertThat((long) answer.body().length).as(answer.raw()).isEqualTo(answer.declaredLength());
  }

  // ---- 6. a GET's Content-Type charset decides how its query string is read ----

  /**
   * Javalin decodes query parameters in the charset named by the request's Content-Type: a GET that
   * carries {@code Content-Type: application/json; charset=nope} gets 400 "query parameter 'userId'
   * is missing" although it is there; with {@code charset=UTF-16}, {@code %C3%A9} reads as U+C3A9.
   * Minor; the parameter should read the same whatever the (meaningless) Content-Type of a GET.
   */
  @Test
  void aQueryParameterReadsTheSameWhateverTheContentType() {
    post("/addUser", utf8("{\"userId\":\"user_50\",\"userName\":\"Flo\"}"));

    FuzzHttp.Reply reply =
        send(
            new FuzzRequest(
                "GET",
                "/api/user?userId=user_50",
                List.of(Map.entry("Content-Type", "application/json; charset=nope")),
                null,
                false,
                false,
                false));

    assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
    assertThat(json(reply).path("userName").asText()).isEqualTo("Flo");
  }

  // ---- 7. an unknown method is called INVALID ----

  /**
   * {@code FOO /getAllUsers} is answered 405 "INVALID is not allowed on /getAllUsers; use GET":
   * Javalin maps methods it does not know to {@code HandlerType.INVALID} and {@code ApiErrors}
   * names that instead of the method sent. A nit; the error should name {@code FOO}.
   */
  @Test
  void anUnknownMethodIsNamedAsSent() {
    FuzzHttp.Reply reply =
        send(new FuzzRequest("FOO", "/getAllUsers", List.of(), null, false, false, false));

    assertThat(reply.status()).isEqualTo(405);
    assertThat(json(reply).path("error").asText()).as(reply.describe()).startsWith("FOO ");
  }

  // ---- 8. a cross-site write that waits for "100 Continue" is never answered ----

  /**
   * {@code POST /deleteUser} with a foreign {@code Origin}, {@code Expect: 100-continue} and a
   * chunked body (found with seed 1010118007254958727): the guard answered 403 without reading the
   * body, and JDK 17's HttpClient, still waiting to send it, never completed the exchange (10 s, no
   * answer). The refusal reads the body first, as the 415 for a non-JSON body already did.
   */
  @ParameterizedTest
  @CsvSource({"/deleteUser, id", "/deletePost, postId", "/addUser, name"})
  void aCrossSiteWriteWaitingForContinueIsAnsweredPromptly(String path, String field) {
    FuzzRequest request =
        new FuzzRequest(
            "POST",
            path,
            List.of(
                Map.entry("Content-Type", "application/json"),
                Map.entry("Origin", "http://elsewhere.example")),
            utf8("{\"" + field + "\": \"user_809\"}"),
            true,
            true,
            false);

    FuzzHttp.Reply reply = send(request);

    assertThat(reply.status()).as(reply.describe()).isEqualTo(403);
    assertThat(json(reply).path("error").asText()).as(reply.describe()).isNotEmpty();
  }
}
