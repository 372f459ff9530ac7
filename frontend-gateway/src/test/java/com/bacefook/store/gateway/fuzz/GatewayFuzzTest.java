package com.bacefook.store.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.SocialKeys;
import com.bacefook.store.testkit.fuzz.FuzzStats;
import com.bacefook.store.testkit.fuzz.Shown;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bad input never hurts the gateway (issue #7): random HTTP requests against a real gateway over a
 * real three-server cluster. Mostly the API's endpoints with bodies and query strings that are
 * garbage (malformed, truncated, deeply nested, huge numbers, wrong types, duplicate keys, unicode,
 * control characters, lone surrogates, IDs that are almost right, 1 to 5 MiB, chunked or not, other
 * encodings, uploads the client breaks off) and sometimes valid, so that users and posts come and
 * go; also other methods, paths, query strings and headers.
 *
 * <p>Every answer must arrive within {@link #DEADLINE}; no status may be 5xx (the cluster stays
 * up); each status must be one {@link SocialModel} predicts; every 4xx must be {@code
 * application/json} with a non-blank string {@code "error"}; every 2xx of the API must be {@code
 * application/json} and, for reads, match the model exactly. The gateway must log no WARN or ERROR
 * while fuzzing (each is a 5xx, even one no client saw). Afterwards the gateway must still answer
 * {@code GET /getAllUsers}; sentinel users and posts (written before, under IDs the fuzzer never
 * writes validly) must read back unchanged; and the store must hold exactly what the successful
 * writes said, through the API and directly. It prints the count of each status per endpoint, and
 * the first two examples of each kind of broken expectation. {@link GatewayFindingsTest} reproduces
 * what it found.
 *
 * <p>{@code -Dgateway.fuzz.seed=N} replays a run (the seed is printed; with more than one worker
 * the requests are the same but their interleaving is not), {@code -Dgateway.fuzz.requests}
 * (default 5,000), {@code -Dgateway.fuzz.seconds} (stop sending after this long, default 40) and
 * {@code -Dgateway.fuzz.workers} (requests in flight, each worker with its own IDs, default 2) tune
 * it.
 */
@Tag("http-fuzz")
class GatewayFuzzTest {
  /** The longest any answer may take: the 3 s store deadline, with slack for a loaded machine. */
  static final Duration DEADLINE = Duration.ofSeconds(10);

  /** IDs each worker may write. Few, so that IDs collide: taken, rewritten, deleted. */
  private static final int POOL_SIZE = 30;

  private FuzzGateway fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void badRequestsNeverHurtTheGateway() throws InterruptedException {
    long seed = Long.getLong("gateway.fuzz.seed", new SplittableRandom().nextLong());
    int requests = Integer.getInteger("gateway.fuzz.requests", 5_000);
    int seconds = Integer.getInteger("gateway.fuzz.seconds", 40);
    int workers = Integer.getInteger("gateway.fuzz.workers", 2);
    System.out.printf(
        "gateway fuzz: seed %d (replay with -Dgateway.fuzz.seed=%d), %d requests, %d workers,"
            + " at most %d s%n",
        seed, seed, requests, workers, seconds);

    long setupStart = System.nanoTime();
    fixture = FuzzGateway.start();
    FuzzHttp http = new FuzzHttp(fixture.port());
    Set<String> servers = fixture.servers();
    Sentinels sentinels = writeSentinels(http);
    long setupMs = millisSince(setupStart);

    SplittableRandom root = new SplittableRandom(seed);
    List<Integer> free =
        IntStream.rangeClosed(0, 1000)
            .filter(id -> !Sentinels.IDS.contains(id))
            .boxed()
            .collect(Collectors.toCollection(ArrayList::new));
    for (int i = free.size() - 1; i > 0; i--) {
      int j = root.nextInt(i + 1);
      free.set(i, free.set(j, free.get(i)));
    }
    Set<String> everyPoolUser = new HashSet<>();
    free.subList(0, workers * POOL_SIZE).forEach(id -> everyPoolUser.add(SocialKeys.user(id)));
    List<SocialModel> models = new ArrayList<>();
    List<FuzzWorker> fuzzers = new ArrayList<>();
    FuzzStats<Integer> stats =
        new FuzzStats<>(
            "endpoint", 30, s -> s == FuzzWorker.NO_ANSWER ? "none" : String.valueOf(s));
    long fuzzStart = System.nanoTime();
    long stopAt = fuzzStart + TimeUnit.SECONDS.toNanos(seconds);
    for (int w = 0; w < workers; w++) {
      SocialModel model =
          new SocialModel(
              free.subList(w * POOL_SIZE, (w + 1) * POOL_SIZE), everyPoolUser, sentinels, servers);
      models.add(model);
      CaseGenerator generator = new CaseGenerator(new JunkValues(root.split()), model, sentinels);
      int quota = requests / workers + (w < requests % workers ? 1 : 0);
      fuzzers.add(new FuzzWorker(generator, http, stats, quota, stopAt, DEADLINE));
    }

    int sent;
    List<String> logged;
    try (GatewayLog log = GatewayLog.capture()) {
      sent = run(fuzzers, stopAt);
      logged = log.problems();
    }
    long fuzzMs = millisSince(fuzzStart);

    long checkStart = System.nanoTime();
    List<String> problems = new ArrayList<>(logged);
    problems.addAll(checkAllUsers(http, sentinels, models));
    problems.addAll(checkSentinels(http, sentinels));
    problems.addAll(checkModels(http, models));
    problems.addAll(checkStore(fixture.cluster.newStoreClient(), models));
    long checkMs = millisSince(checkStart);

    System.out.printf(
        "gateway fuzz: seed %d: sent %d of %d requests in %d ms (%d/s); setup %d ms, final checks"
            + " %d ms; %d users and %d posts at the end besides the sentinels%n%s",
        seed,
        sent,
        requests,
        fuzzMs,
        sent * 1000L / Math.max(1, fuzzMs),
        setupMs,
        checkMs,
        models.stream().mapToInt(m -> m.users().size()).sum(),
        models.stream().mapToInt(m -> m.posts().size()).sum(),
        stats.table());
    if (stats.failureCount() > 0) {
      System.out.printf("gateway fuzz: %d answers broke expectations:%n", stats.failureCount());
      stats.failureKinds().forEach(kind -> System.out.println("  " + kind));
      System.out.println("gateway fuzz: the first examples of each kind:");
      stats.examples().forEach(example -> System.out.println("  " + example));
    }
    problems.forEach(problem -> System.out.println("gateway fuzz: after fuzzing: " + problem));

    assertThat(stats.total()).as("answers counted").isEqualTo(sent - generatorFailures(stats));
    assertThat(stats.failureKinds())
        .as("answers that broke expectations (seed %d; examples above)", seed)
        .isEmpty();
    assertThat(problems).as("state after fuzzing (seed %d)", seed).isEmpty();
  }

  private static long generatorFailures(FuzzStats<Integer> stats) {
    return stats.failureKinds().stream()
        .filter(
            kind ->
                kind.contains("the generator broke its own rules")
                    || kind.contains("HttpClient refuses"))
        .mapToLong(kind -> Long.parseLong(kind.substring(0, kind.indexOf(' '))))
        .sum();
  }

  /** Runs the workers together; returns how many requests they sent. Bounded by the deadline. */
  private static int run(List<FuzzWorker> fuzzers, long stopAt) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(fuzzers.size());
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      fuzzers.forEach(fuzzer -> futures.add(pool.submit(fuzzer)));
      long giveUpAt = stopAt + DEADLINE.toNanos() * 3;
      int sent = 0;
      for (Future<Integer> future : futures) {
        try {
          sent += future.get(Math.max(0, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          throw new AssertionError("a fuzzing worker failed", e.getCause());
        } catch (TimeoutException e) {
          throw new AssertionError("a fuzzing worker did not stop", e);
        }
      }
      return sent;
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- sentinels ----

  /**
   * Writes the sentinel users and posts through the API (names and texts with unicode, control
   * characters, markup, commas; one user with two posts, one with none) and returns them as the API
   * reads them back.
   */
  private static Sentinels writeSentinels(FuzzHttp http) {
    Map<Integer, String> names = new TreeMap<>();
    names.put(0, "Zo\u00eb \uD83D\uDE00 \u0436\u4E2D");
    names.put(1, "  padded  ");
    names.put(166, "a".repeat(80));
    names.put(333, "<script>alert(1)</script>");
    names.put(334, "tab\tand\u0000nul");
    names.put(500, "\u202eevil");
    names.put(666, "O'Brien \"quoted\" \\ back");
    names.put(667, "\u6f22\u5b57");
    names.put(999, "x");
    names.put(1000, "Last \uD83D\uDE00");
    Map<Integer, Integer> authors = new TreeMap<>();
    Sentinels.IDS.forEach(id -> authors.put(id, id));
    authors.put(1, 0); // user_0 has post_0 and post_1; user_1 has none
    Map<Integer, String> texts = new TreeMap<>();
    for (int id : Sentinels.IDS) {
      texts.put(id, "line one\nline\ttwo \u00e9 \u0000 #" + id);
    }
    texts.put(166, "p".repeat(5000));
    texts.put(500, "post_1,post_2,");
    texts.put(666, "{\"error\":\"not really\"}");
    texts.put(1000, "<img src=x onerror=alert(1)>");

    for (Map.Entry<Integer, String> user : names.entrySet()) {
      expect200(
          http,
          "/addUser",
          Map.of("userId", SocialKeys.user(user.getKey()), "userName", user.getValue()));
    }
    for (Map.Entry<Integer, Integer> post : authors.entrySet()) {
      expect200(
          http,
          "/addPost",
          Map.of(
              "postId", SocialKeys.post(post.getKey()),
              "postContent", texts.get(post.getKey()),
              "userId", SocialKeys.user(post.getValue())));
    }
    Map<String, String> users = new TreeMap<>();
    Map<String, Map<String, String>> walls = new TreeMap<>();
    for (int id : names.keySet()) {
      String userId = SocialKeys.user(id);
      users.put(userId, readUser(http, userId).path("userName").asText());
      walls.put(userId, readWall(http, userId));
    }
    assertThat(users.get("user_1")).isEqualTo("padded");
    assertThat(users.get("user_334")).isEqualTo(names.get(334));
    assertThat(walls.get("user_0")).containsOnlyKeys("post_0", "post_1");
    assertThat(walls.get("user_1")).isEmpty();
    assertThat(walls.get("user_166")).containsEntry("post_166", texts.get(166));
    return new Sentinels(users, walls);
  }

  private static void expect200(FuzzHttp http, String path, Map<String, String> body) {
    byte[] json;
    try {
      json = FuzzWorker.STRICT_JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FuzzHttp.Reply reply = send(http, FuzzRequest.plain("POST", path, json));
    assertThat(reply.status()).as(path + " " + body + ": " + reply.describe()).isEqualTo(200);
  }

  private static FuzzHttp.Reply send(FuzzHttp http, FuzzRequest request) {
    try {
      return http.send(request, DEADLINE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(FuzzHttp.Reply reply) {
    try {
      return FuzzWorker.STRICT_JSON.readTree(reply.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + reply.describe(), e);
    }
  }

  /** {@code GET /api/user}: the user, or null if unknown (404). */
  private static JsonNode readUser(FuzzHttp http, String userId) {
    FuzzHttp.Reply reply =
        send(http, FuzzRequest.plain("GET", "/api/user?userId=" + encode(userId), null));
    if (reply.status() == 404) {
      return null;
    }
    assertThat(reply.status()).as(userId + ": " + reply.describe()).isEqualTo(200);
    return json(reply);
  }

  /** {@code GET /allUserPosts}: post ID to text, or null if the user is unknown (404). */
  private static Map<String, String> readWall(FuzzHttp http, String userId) {
    FuzzHttp.Reply reply =
        send(http, FuzzRequest.plain("GET", "/allUserPosts?userId=" + encode(userId), null));
    if (reply.status() == 404) {
      return null;
    }
    assertThat(reply.status()).as(userId + ": " + reply.describe()).isEqualTo(200);
    Map<String, String> wall = new TreeMap<>();
    for (JsonNode post : json(reply).path("posts")) {
      wall.put(post.path("postId").asText(), post.path("postContent").asText());
    }
    return wall;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // ---- after fuzzing ----

  /** {@code GET /getAllUsers} answers 200 with exactly the sentinels and the models' users. */
  private static List<String> checkAllUsers(
      FuzzHttp http, Sentinels sentinels, List<SocialModel> models) {
    FuzzHttp.Reply reply = send(http, FuzzRequest.plain("GET", "/getAllUsers", null));
    if (reply.status() != 200) {
      return List.of("GET /getAllUsers answers " + reply.describe());
    }
    Map<String, String> expected = new TreeMap<>(sentinels.users());
    models.forEach(model -> expected.putAll(model.users()));
    Map<String, String> actual = new TreeMap<>();
    for (JsonNode user : json(reply).path("users")) {
      actual.put(user.path("userId").asText(), user.path("userName").asText());
    }
    return actual.equals(expected)
        ? List.of()
        : List.of("GET /getAllUsers lists " + differences(expected, actual));
  }

  /** Every sentinel user and wall reads back exactly as before the fuzzing. */
  private static List<String> checkSentinels(FuzzHttp http, Sentinels sentinels) {
    List<String> problems = new ArrayList<>();
    sentinels
        .users()
        .forEach(
            (userId, name) -> {
              JsonNode user = readUser(http, userId);
              String actual = user == null ? null : user.path("userName").asText();
              if (!name.equals(actual)) {
                problems.add(
                    "sentinel " + userId + " is named " + show(actual) + ", not " + show(name));
              }
              Map<String, String> wall = readWall(http, userId);
              if (!sentinels.walls().get(userId).equals(wall)) {
                problems.add(
                    "the wall of sentinel "
                        + userId
                        + " is "
                        + (wall == null
                            ? "gone"
                            : differences(sentinels.walls().get(userId), wall)));
              }
            });
    return problems;
  }

  /** Every ID of every pool reads back through the API as the model says. */
  private static List<String> checkModels(FuzzHttp http, List<SocialModel> models) {
    List<String> problems = new ArrayList<>();
    for (SocialModel model : models) {
      Map<String, String> users = model.users();
      for (int id : model.pool()) {
        String userId = SocialKeys.user(id);
        JsonNode user = readUser(http, userId);
        String actual = user == null ? null : user.path("userName").asText();
        String expected = users.get(userId);
        if (expected == null ? actual != null : !expected.equals(actual)) {
          problems.add(
              "GET /api/user "
                  + userId
                  + ": name "
                  + show(actual)
                  + ", expected "
                  + show(expected));
        }
        Map<String, String> wall = readWall(http, userId);
        Map<String, String> expectedWall = expected == null ? null : model.wallOf(userId);
        if (expectedWall == null ? wall != null : !expectedWall.equals(wall)) {
          problems.add(
              "GET /allUserPosts "
                  + userId
                  + ": "
                  + (wall == null || expectedWall == null
                      ? wall + ", expected " + expectedWall
                      : differences(expectedWall, wall)));
        }
      }
    }
    return problems;
  }

  /**
   * The store itself, read directly: each pool user's name, post list and each pool post's text are
   * what the model says, and nothing else is left behind (a GDPR delete erased every post).
   */
  private static List<String> checkStore(StoreClient store, List<SocialModel> models) {
    List<String> problems = new ArrayList<>();
    for (SocialModel model : models) {
      Map<String, String> users = model.users();
      Map<String, SocialModel.Post> posts = model.posts();
      for (int id : model.pool()) {
        String userId = SocialKeys.user(id);
        String postId = SocialKeys.post(id);
        compare(problems, store, userId, users.get(userId));
        SocialModel.Post post = posts.get(postId);
        compare(problems, store, postId, post == null ? null : post.text());
        String list = read(store, SocialKeys.postsOf(userId));
        List<String> listed = list == null ? List.of() : SocialKeys.splitList(list);
        Set<String> expected = model.wallOf(userId).keySet();
        if (listed.size() != new HashSet<>(listed).size()
            || !new TreeSet<>(listed).equals(new TreeSet<>(expected))) {
          problems.add(
              "store: "
                  + SocialKeys.postsOf(userId)
                  + " holds "
                  + show(list)
                  + ", expected the posts "
                  + expected);
        }
      }
    }
    return problems;
  }

  private static void compare(
      List<String> problems, StoreClient store, String key, String expected) {
    String actual = read(store, key);
    if (expected == null ? actual != null : !expected.equals(actual)) {
      problems.add("store: " + key + " holds " + show(actual) + ", expected " + show(expected));
    }
  }

  /** The value of {@code key}, or null if it holds nothing. */
  private static String read(StoreClient store, String key) {
    try {
      return store.get(key).value();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      return "<" + e.getStatus() + ">";
    }
  }

  private static String differences(Map<String, String> expected, Map<String, String> actual) {
    Map<String, String> lines = new LinkedHashMap<>();
    new TreeSet<>(union(expected.keySet(), actual.keySet()))
        .forEach(
            key -> {
              String e = expected.get(key);
              String a = actual.get(key);
              if (e == null ? a != null : !e.equals(a)) {
                lines.put(key, show(a) + " instead of " + show(e));
              }
            });
    return lines.toString();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static String show(String s) {
    return s == null ? "nothing" : Shown.text(s, 60);
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
