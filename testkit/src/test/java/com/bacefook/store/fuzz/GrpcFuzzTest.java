package com.bacefook.store.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.sharding.SocialKeys;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.fuzz.FuzzStats;
import com.bacefook.store.testkit.fuzz.Shown;
import com.sun.management.OperatingSystemMXBean;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bad input never hurts (issue #7): random requests over gRPC, to random servers of a live three-server
 * cluster and to the shardmaster (every RPC of both, the batch RPCs PutMany, DeleteMany (also with the
 * mark of a GDPR erase) and ScanKeys included), with keys, values, users, server names, ranges and configuration
 * numbers that are mostly garbage (empty, unicode, control characters, surrogate halves, numbers past
 * 2^64, around every length limit, and now and then over the 8 MiB message limit) and sometimes valid.
 *
 * <p>It checks that every request gets a status, from the set allowed for its RPC (never UNKNOWN or
 * INTERNAL), well within its deadline; that every server and the shardmaster still answer at the end;
 * and that data only valid requests may change is unchanged: <em>sentinel</em> keys, written before
 * the fuzzing under IDs the fuzzer never names validly, are byte-identical afterwards. It prints the
 * count of each status per RPC.
 *
 * <p>{@code -Dfuzz.seed=N} replays a run (the seed is printed), {@code -Dfuzz.requests} (default
 * 100000), {@code -Dfuzz.concurrency} (requests in flight, default 64), {@code -Dfuzz.seconds} (stop
 * sending after this long, default 120), {@code -Dfuzz.moves} (valid Moves at most, default 30),
 * {@code -Dfuzz.hugeOneIn} (one string in this many is 1 to 9.5 MiB, default 3000; 0: none),
 * {@code -Dfuzz.deadMember=false} (skip joining a dead address) and {@code -Dfuzz.skip=EndHandoff,Join}
 * (RPCs not to send, to tell failures apart) tune it. A replay makes the same random choices; the few
 * that depend on timing (which server owns a key, whether a valid Move may go now) can differ.
 */
@Tag("fuzz")
class GrpcFuzzTest {
  /** IDs whose keys only the setup writes: both ends of each server's range and some between. */
  private static final Set<Integer> SENTINEL_IDS =
      Set.of(0, 17, 99, 150, 250, 251, 333, 334, 420, 500, 501, 555, 667, 668, 750, 751, 812, 999, 1000);
  /** Short, so the servers get over the dead member soon; Moves never overlap, so it is enough. */
  private static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration CONVERGENCE = Duration.ofSeconds(30);
  private static final long CHECK_DEADLINE_MS = 5_000;

  private MiniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void badInputNeverHurts() {
    long seed = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
    int requests = Integer.getInteger("fuzz.requests", 100_000);
    int concurrency = Integer.getInteger("fuzz.concurrency", 64);
    int seconds = Integer.getInteger("fuzz.seconds", 120);
    int moves = Integer.getInteger("fuzz.moves", 30);
    int hugeOneIn = Integer.getInteger("fuzz.hugeOneIn", 3_000);
    boolean deadMember = Boolean.parseBoolean(System.getProperty("fuzz.deadMember", "true"));
    Set<String> skipped =
        Arrays.stream(System.getProperty("fuzz.skip", "").split(","))
            .map(String::strip)
            .filter(rpc -> !rpc.isEmpty())
            .collect(Collectors.toSet());
    System.out.printf(
        "fuzz: seed %d (replay with -Dfuzz.seed=%d), %d requests, %d in flight%s%n",
        seed, seed, requests, concurrency, skipped.isEmpty() ? "" : ", not sending " + skipped);

    long setupStart = System.nanoTime();
    cluster = MiniCluster.start(ShardkvServer.Options.DEFAULT.withHandoffTimeout(HANDOFF_TIMEOUT));
    for (int i = 0; i < 3; i++) {
      cluster.startAndJoin();
    }
    Map<String, String> sentinels = writeSentinels();
    long setupMs = millisSince(setupStart);

    FuzzStats<Status.Code> stats = new FuzzStats<>("rpc", 15, String::valueOf);
    FuzzInputs inputs = new FuzzInputs(new SplittableRandom(seed), SENTINEL_IDS, cluster.serverNames());
    RequestFuzzer fuzzer = new RequestFuzzer(cluster, inputs, stats, concurrency, moves, hugeOneIn, skipped);
    long fuzzStart = System.nanoTime();
    long cpuStart = processCpuNanos();
    int sent = fuzzer.run(requests, fuzzStart + TimeUnit.SECONDS.toNanos(seconds), deadMember);
    long fuzzMs = millisSince(fuzzStart);
    long fuzzCpuMs = TimeUnit.NANOSECONDS.toMillis(processCpuNanos() - cpuStart);

    long checkStart = System.nanoTime();
    String convergence = awaitConvergence();
    List<String> problems = new ArrayList<>();
    if (convergence != null) {
      problems.add(convergence);
    }
    problems.addAll(checkEveryoneAnswers());
    problems.addAll(checkSentinels(sentinels));
    long checkMs = millisSince(checkStart);

    System.out.printf(
        "fuzz: seed %d: sent %d of %d requests in %d ms (%d/s, %d ms CPU in this JVM; %d valid Moves,"
            + " configuration #%d); setup %d ms, final checks %d ms%n%s",
        seed, sent, requests, fuzzMs, sent * 1000L / Math.max(1, fuzzMs), fuzzCpuMs,
        fuzzer.validMoves(), cluster.shardmaster().history().latest().number(), setupMs, checkMs,
        stats.table());
    if (stats.failureCount() > 0) {
      System.out.printf("fuzz: %d requests broke expectations:%n", stats.failureCount());
      stats.failureKinds().forEach(kind -> System.out.println("  " + kind));
      System.out.println("fuzz: examples of each kind:");
      stats.examples().forEach(example -> System.out.println("  " + example));
    }
    problems.forEach(p -> System.out.println("fuzz: " + p));

    assertThat(stats.total()).as("statuses received").isEqualTo(sent);
    assertThat(stats.failureKinds())
        .as("requests whose status was not allowed or came late (seed %d; examples above)", seed)
        .isEmpty();
    assertThat(problems).as("state after fuzzing (seed %d)", seed).isEmpty();
  }

  /**
   * Writes, for each sentinel ID {@code s}, {@code user_s}, {@code post_s} by {@code user_s} (which
   * makes {@code user_s_posts}) and {@code blob_s} (64 KiB), all with unicode and control characters;
   * returns every key with the value read back.
   */
  private Map<String, String> writeSentinels() {
    StoreClient client = cluster.newStoreClient();
    SplittableRandom random = new SplittableRandom(7);
    Map<String, String> written = new LinkedHashMap<>();
    for (int id : new TreeSet<>(SENTINEL_IDS)) {
      String user = SocialKeys.user(id);
      String post = SocialKeys.post(id);
      client.put(user, "Zo\u00eb #" + id + " \uD83D\uDE00 \u0436\u4E2D", "");
      client.put(post, "line one\nline\ttwo, \u0000 and \u00e9 #" + id, user);
      String blob = "blob_" + id;
      StringBuilder value = new StringBuilder();
      while (value.length() < 64 * 1024) {
        value.appendCodePoint(1 + random.nextInt(0xD000));
      }
      client.put(blob, value.toString(), "");
      for (String key : List.of(user, post, SocialKeys.postsOf(user), blob)) {
        written.put(key, client.get(key).value());
      }
    }
    assertThat(written.get("user_17_posts")).isEqualTo("post_17,");
    return written;
  }

  /** Waits until every server acts on the latest configuration with no handoff under way. */
  private String awaitConvergence() {
    long deadline = System.nanoTime() + CONVERGENCE.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      long latest = cluster.shardmaster().history().latest().number();
      List<String> behind = new ArrayList<>();
      for (String name : cluster.serverNames()) {
        ShardkvServer server = cluster.server(name);
        if (server.configuration().number() < latest || server.handoffInProgress()) {
          behind.add(name + " at #" + server.configuration().number()
              + (server.handoffInProgress() ? " with a handoff under way" : ""));
        }
      }
      if (behind.isEmpty()) {
        return null;
      }
      state = "latest #" + latest + ": " + behind;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return "servers did not converge within " + CONVERGENCE + ": " + state;
  }

  /** The shardmaster answers Query; each server answers Get for an ID it owns, and all_users. */
  private List<String> checkEveryoneAnswers() {
    List<String> problems = new ArrayList<>();
    Configuration config;
    try {
      config = cluster.shardmasterClient().query();
    } catch (StatusRuntimeException e) {
      return List.of("the shardmaster does not answer Query: " + e.getStatus());
    }
    for (String name : cluster.serverNames()) {
      IdSet owned = IdSet.ownedBy(config, name);
      List<String> keys = new ArrayList<>(List.of(SocialKeys.ALL_USERS));
      IntStream.rangeClosed(0, 1000)
          .filter(id -> owned.contains(id) && !SENTINEL_IDS.contains(id))
          .findFirst()
          .ifPresent(id -> keys.add("user_" + id));
      for (String key : keys) {
        try {
          ShardkvGrpc.newBlockingStub(cluster.channels().channel(name))
              .withDeadlineAfter(CHECK_DEADLINE_MS, TimeUnit.MILLISECONDS)
              .get(GetRequest.newBuilder().setKey(key).build());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
            problems.add(name + " does not serve Get " + key + " after the fuzzing: " + e.getStatus());
          }
        }
      }
    }
    return problems;
  }

  /** Every sentinel key reads back exactly as written. */
  private List<String> checkSentinels(Map<String, String> sentinels) {
    StoreClient client = cluster.newStoreClient();
    List<String> problems = new ArrayList<>();
    sentinels.forEach(
        (key, expected) -> {
          try {
            String actual = client.get(key).value();
            if (!actual.equals(expected)) {
              problems.add(
                  "sentinel " + key + " changed: " + Shown.text(actual, 80) + " instead of "
                      + Shown.text(expected, 80));
            }
          } catch (StatusRuntimeException e) {
            problems.add("sentinel " + key + " cannot be read: " + e.getStatus());
          }
        });
    if (!problems.isEmpty()) {
      problems.add(
          "layout at the end: " + cluster.shardmasterClient().query().servers().stream()
              .map(Object::toString)
              .collect(Collectors.joining("; ")));
    }
    return problems;
  }

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
