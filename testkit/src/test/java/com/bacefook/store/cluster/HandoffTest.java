package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The safe handoff: no acknowledged write is lost while ranges move, and nobody waits forever. */
class HandoffTest {
  private MiniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aGainedRangeWhosePreviousOwnerDiedIsServedAfterTheTimeout() {
    cluster = MiniCluster.start(ShardkvServer.Options.DEFAULT.withHandoffTimeout(Duration.ofSeconds(3)));
    Servers servers = new Servers(cluster);
    String s1 = cluster.startAndJoin();
    String s2 = cluster.startServer();
    StoreClient client = cluster.newStoreClient();
    client.put("post_700", "doomed", "");
    cluster.stopServer(s1);
    cluster.shardmasterClient().join(s2);

    // s2 now owns [501,1000] but waits for s1's handoff, which never comes: it says so, retryably.
    await().atMost(Duration.ofSeconds(5)).until(() -> cluster.server(s2).configuration().number() == 2);
    StatusRuntimeException refusal = refusalFrom(() -> servers.get(s2, "post_700"));
    assertThat(refusal).as("s2 serves before the handoff timeout").isNotNull();
    assertThat(refusal.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Refusals.isRefusal(refusal)).isTrue();
    assertThat(refusal.getStatus().getDescription()).contains("waiting for " + s1);
    // After the timeout it serves the range (the dead server's keys are gone with it).
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> servers.get(s2, "post_700").isEmpty());
    client.put("post_700", "reborn", "");
    assertThat(servers.get(s2, "post_700")).contains("reborn");
  }

  @Test
  void serversWalkEveryConfigurationEvenWhenSeveralArriveBetweenHeartbeats() {
    cluster = MiniCluster.start(Duration.ofMillis(300));
    Servers servers = new Servers(cluster);
    String s1 = cluster.startAndJoin();
    String s2 = cluster.startAndJoin();
    String s3 = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    for (int id = 0; id <= 1000; id += 50) {
      client.put("post_" + id, "v" + id, "");
    }
    // Four changes well inside one heartbeat: servers see at least some of them only by walking.
    cluster.shardmasterClient().move(s3, new ShardRange(0, 100));
    cluster.shardmasterClient().move(s1, new ShardRange(900, 1000));
    cluster.shardmasterClient().leave(List.of(s2));
    cluster.shardmasterClient().move(s3, new ShardRange(450, 550));
    cluster.awaitConvergence();

    for (int id = 0; id <= 1000; id += 50) {
      String owner = cluster.shardmasterClient().query().ownerOf(id).orElseThrow();
      assertThat(servers.get(owner, "post_" + id)).as("post_%s on %s", id, owner).contains("v" + id);
      for (String other : List.of(s1, s3)) {
        if (!other.equals(owner)) {
          assertThat(cluster.server(other).holds("post_" + id)).isFalse();
        }
      }
    }
    assertThat(cluster.server(s2).keyCount()).isZero();
  }

  @Test
  void aServerThatOwnsARangeOnlyBrieflyStillPassesItOn() {
    // Long heartbeat and handoff timeout: a range stuck waiting would fail awaitConvergence (10 s).
    cluster =
        MiniCluster.start(
            ShardkvServer.Options.DEFAULT
                .withHeartbeat(Duration.ofMillis(400))
                .withHandoffTimeout(Duration.ofSeconds(60)));
    Servers servers = new Servers(cluster);
    String a = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    for (int id = 0; id <= 1000; id += 25) {
      client.put("post_" + id, "v" + id, "");
    }
    String b = cluster.startServer();
    String c = cluster.startServer();
    // Within one heartbeat: b owns [501,1000] in configuration 2 only, then [334,667] in 3.
    cluster.shardmasterClient().join(b);
    cluster.shardmasterClient().join(c);
    cluster.awaitConvergence();

    Configuration config = cluster.shardmasterClient().query();
    for (int id = 0; id <= 1000; id += 25) {
      String owner = config.ownerOf(id).orElseThrow();
      assertThat(servers.get(owner, "post_" + id)).as("post_%s on %s", id, owner).contains("v" + id);
    }
    assertThat(cluster.server(a).keyCount() + cluster.server(b).keyCount() + cluster.server(c).keyCount())
        .isEqualTo(41);
  }

  @Test
  void concurrentAppendsSurviveReconfiguration() throws Exception {
    cluster = MiniCluster.start();
    cluster.startAndJoin();
    cluster.startAndJoin();
    List<String> spare = List.of(cluster.startServer(), cluster.startServer());
    StoreClient client = cluster.newStoreClient();
    List<String> keys = List.of("post_10", "post_400", "post_501", "post_990");
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      int writer = w;
      writers.add(
          pool.submit(
              () -> {
                for (int seq = 0; running.get() && seq < 100_000; seq++) {
                  String key = keys.get((writer + seq) % keys.size());
                  String token = "w" + writer + "s" + seq + ";";
                  try {
                    client.append(key, token);
                    acknowledged.add(key + "=" + token);
                  } catch (StatusRuntimeException e) {
                    // Not acknowledged: it may or may not be there, and is not checked.
                  }
                }
              }));
    }
    Random random = new Random(7);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int changes = 0;
    while (System.nanoTime() < end) {
      int lower = random.nextInt(1001);
      List<String> servers = cluster.shardmasterClient().query().serverNames();
      String target = servers.get(random.nextInt(servers.size()));
      switch (changes % 3) {
        case 0 -> cluster.shardmasterClient().move(target, new ShardRange(lower, Math.min(1000, lower + 300)));
        case 1 -> cluster.shardmasterClient().join(spare.get((changes / 3) % 2));
        default -> cluster.shardmasterClient().leave(List.of(spare.get((changes / 3) % 2)));
      }
      changes++;
      TimeUnit.MILLISECONDS.sleep(150); // pacing the workload, not synchronisation
    }
    running.set(false);
    for (Future<?> writer : writers) {
      writer.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    cluster.awaitConvergence();

    assertThat(acknowledged).hasSizeGreaterThan(100);
    Map<String, Map<String, Long>> tokensByKey = new HashMap<>();
    for (String key : keys) {
      tokensByKey.put(
          key,
          Arrays.stream(client.get(key).value().split(";"))
              .filter(token -> !token.isEmpty())
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
    }
    for (String entry : acknowledged) {
      String key = entry.substring(0, entry.indexOf('='));
      String token = entry.substring(key.length() + 1, entry.length() - 1);
      assertThat(tokensByKey.get(key).get(token))
          .as("times acknowledged append %s appears in %s", token, key)
          .isEqualTo(1L);
    }
  }

  private static StatusRuntimeException refusalFrom(Runnable call) {
    try {
      call.run();
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }
}
