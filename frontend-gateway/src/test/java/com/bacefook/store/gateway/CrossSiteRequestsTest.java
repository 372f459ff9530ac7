package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.gateway.fuzz.RawHttp;
import com.bacefook.store.security.Security;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 15: a web page of another site open in the operator's browser cannot change the store
 * through the gateway, and a DNS-rebinding page cannot talk to it at all. Every refusal is checked
 * to have written nothing: the user or post it aimed at is still there (or still absent).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSiteRequestsTest {
  private static final String ALLOWED_ORIGIN = "http://dashboard.example:8080";
  private static final Duration RAW_DEADLINE = Duration.ofSeconds(10);

  private MiniCluster cluster;
  private GatewayServer gateway;
  private GatewayServer widened;
  private ApiClient api;
  private StoreClient store;
  private final AtomicInteger nextId = new AtomicInteger(100);

  @BeforeAll
  void start() {
    cluster = MiniCluster.start();
    cluster.startAndJoin();
    cluster.startAndJoin();
    gateway = GatewayServer.start(cluster.shardmasterAddress(), 0);
    widened =
        GatewayServer.start(
            cluster.shardmasterAddress(),
            new GatewayOptions(
                "127.0.0.1", 0, Set.of("bacefook.test"), Set.of(ALLOWED_ORIGIN), null),
            Security.NONE);
    api = new ApiClient(gateway.port());
    store = cluster.newStoreClient();
  }

  @AfterAll
  void stop() {
    widened.close();
    gateway.close();
    cluster.close();
  }

  private void addUser(String userId) {
    assertThat(
            api.post("/addUser", ApiClient.json(Map.of("userId", userId, "userName", "Victim")))
                .status())
        .isEqualTo(200);
  }

  private boolean exists(String key) {
    try {
      store.get(key);
      return true;
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      return false;
    }
  }

  private static String deleteBody(String userId) {
    return "{\"id\":\"" + userId + "\"}";
  }

  private static void assertRefused(ApiClient.Answer answer, int status, String fragment) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/json");
    assertThat(answer.error()).contains(fragment);
  }

  @ParameterizedTest(name = "Content-Type: {0}")
  @ValueSource(
      strings = {
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=iso-8859-1",
        "application/jsonp"
      })
  void aBodyThatIsNotDeclaredJsonIs415AndErasesNothing(String type) {
    String userId = "user_" + nextId.getAndIncrement();
    addUser(userId);

    ApiClient.Answer answer =
        api.send("POST", "/deleteUser", deleteBody(userId), Map.of("Content-Type", type));

    assertRefused(answer, 415, "application/json");
    assertThat(exists(userId)).isTrue();
  }

  @Test
  void aBodyWithoutContentTypeIs415AndCreatesNothing() {
    ApiClient.Answer answer =
        api.send(
            "POST", "/addUser", "{\"userId\":\"user_201\",\"userName\":\"Mallory\"}", Map.of());

    assertRefused(answer, 415, "Content-Type");
    assertThat(exists("user_201")).isFalse();
  }

  @Test
  void aWriteFromAnotherOriginIs403AndErasesNothing() {
    addUser("user_211");

    ApiClient.Answer answer =
        api.send(
            "POST",
            "/deleteUser",
            deleteBody("user_211"),
            Map.of("Content-Type", "application/json", "Origin", "http://evil.example"));

    assertRefused(answer, 403, "evil.example");
    assertThat(exists("user_211")).isTrue();
  }

  @Test
  void aWriteFromTheSameHostOnAnotherPortIs403() {
    ApiClient.Answer answer =
        api.send(
            "POST",
            "/addUser",
            "{\"userId\":\"user_212\",\"userName\":\"Mallory\"}",
            Map.of("Content-Type", "application/json", "Origin", "http://127.0.0.1:1"));

    assertRefused(answer, 403, "cross-site");
    assertThat(exists("user_212")).isFalse();
  }

  @Test
  void aWriteFromTheGatewaysOwnOriginIsServed() {
    addUser("user_221");

    ApiClient.Answer answer =
        api.send(
            "POST",
            "/deleteUser",
            deleteBody("user_221"),
            Map.of(
                "Content-Type", "application/json",
                "Origin", "http://127.0.0.1:" + gateway.port(),
                "Sec-Fetch-Site", "same-origin"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(204);
    assertThat(exists("user_221")).isFalse();
  }

  @ParameterizedTest(name = "Sec-Fetch-Site: {0}")
  @ValueSource(strings = {"cross-site", "same-site"})
  void aWriteWithoutOriginThatTheBrowserCallsCrossSiteIs403(String site) {
    String userId = "user_" + nextId.getAndIncrement();
    addUser(userId);

    ApiClient.Answer answer =
        api.send(
            "POST",
            "/deleteUser",
            deleteBody(userId),
            Map.of("Content-Type", "application/json", "Sec-Fetch-Site", site));

    assertRefused(answer, 403, site);
    assertThat(exists(userId)).isTrue();
  }

  @Test
  void aForeignHostIs421ForReadsAndWritesAndIsLoggedOnce() {
    addUser("user_241");
    Logger logger = (Logger) LoggerFactory.getLogger(GuardHandler.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    RawHttp.Answer write;
    RawHttp.Answer read;
    try {
      String body = deleteBody("user_241");
      write =
          RawHttp.exchange(
              gateway.port(),
              "POST /deleteUser HTTP/1.1\r\nHost: evil.example:" + gateway.port()
                  + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                  + "\r\nConnection: close\r\n\r\n" + body,
              RAW_DEADLINE);
      read =
          RawHttp.exchange(
              gateway.port(),
              "GET /getAllUsers HTTP/1.1\r\nHost: evil.example:" + gateway.port()
                  + "\r\nConnection: close\r\n\r\n",
              RAW_DEADLINE);
    } finally {
      logger.detachAppender(logged);
    }

    assertThat(write.status()).as(write.raw()).isEqualTo(421);
    assertThat(write.header("Content-Type")).startsWith("application/json");
    assertThat(write.text()).contains("evil.example").contains("--allow-host");
    assertThat(read.status()).as(read.raw()).isEqualTo(421);
    assertThat(read.text()).doesNotContain("user_241");
    assertThat(exists("user_241")).isTrue();
    assertThat(logged.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel().toString()).isEqualTo("WARN");
              assertThat(event.getFormattedMessage()).contains("evil.example");
            });
  }

  @Test
  void aRebindingPageWhoseOriginMatchesItsHostIsStill421() {
    addUser("user_251");
    String body = deleteBody("user_251");

    RawHttp.Answer answer =
        RawHttp.exchange(
            gateway.port(),
            "POST /deleteUser HTTP/1.1\r\nHost: rebind.example:" + gateway.port()
                + "\r\nOrigin: http://rebind.example:" + gateway.port()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body,
            RAW_DEADLINE);

    assertThat(answer.status()).as(answer.raw()).isEqualTo(421);
    assertThat(exists("user_251")).isTrue();
  }

  @Test
  void hostNamesOfThisMachineAndAllowedHostsAreServed() {
    for (String host : new String[] {"localhost", "127.0.0.1", "[::1]", "bacefook.test"}) {
      RawHttp.Answer answer =
          RawHttp.exchange(
              widened.port(),
              "GET /query HTTP/1.1\r\nHost: " + host + ":" + widened.port()
                  + "\r\nConnection: close\r\n\r\n",
              RAW_DEADLINE);
      assertThat(answer.status()).as(host + ": " + answer.raw()).isEqualTo(200);
    }
  }

  @Test
  void noCorsHeadersUnlessAnOriginIsAllowed() {
    Map<String, String> preflight =
        Map.of(
            "Origin", "http://evil.example",
            "Access-Control-Request-Method", "POST",
            "Access-Control-Request-Headers", "content-type");

    HttpHeaders answer = api.headers("OPTIONS", "/deleteUser", preflight);

    assertThat(answer.map().keySet())
        .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
  }

  @Test
  void anAllowedOriginGetsCorsHeadersAndMayWrite() {
    ApiClient widenedApi = new ApiClient(widened.port());
    HttpHeaders preflight =
        widenedApi.headers(
            "OPTIONS",
            "/addUser",
            Map.of(
                "Origin", ALLOWED_ORIGIN,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type"));
    assertThat(preflight.firstValue("Access-Control-Allow-Origin")).contains(ALLOWED_ORIGIN);

    ApiClient.Answer answer =
        widenedApi.send(
            "POST",
            "/addUser",
            "{\"userId\":\"user_261\",\"userName\":\"Trent\"}",
            Map.of("Content-Type", "application/json", "Origin", ALLOWED_ORIGIN));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(exists("user_261")).isTrue();
    HttpHeaders evil =
        widenedApi.headers(
            "OPTIONS",
            "/addUser",
            Map.of("Origin", "http://evil.example", "Access-Control-Request-Method", "POST"));
    assertThat(evil.firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
