package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ShardRange;
import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes with data directories, killed with SIGKILL at awkward moments and restarted on the
 * same directories: every acknowledged write is still there, and handoffs resume.
 */
class KillRestartTest {
  private static final Duration RECOVERY = Duration.ofSeconds(60);

  @TempDir Path data;
  private ProcessCluster cluster;
  private ChannelPool channels;
  private ShardmasterClient shardmaster;
  private StoreClient client;

  @BeforeEach
  void start(TestInfo test) {
    cluster = ProcessCluster.forTest(test, data);
    cluster.startShardmaster();
    channels = new ChannelPool();
    // Generous deadlines: JVMs starting up on a busy 2-core machine answer slowly at first.
    shardmaster =
        new ShardmasterClient(
            channels.channel(cluster.shardmasterAddress()),
            Duration.ofSeconds(20),
            Duration.ofSeconds(60));
    client =
        new StoreClient(
            new ShardmasterConfigurationSource(shardmaster),
            channels,
            Duration.ofSeconds(30),
            Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    channels.close();
    cluster.close();
  }

  @Test
  void everyAcknowledgedWriteSurvivesAKillDuringALoad() throws Exception {
    List<String> servers = cluster.startShardkvs(2);
    servers.forEach(shardmaster::join);
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failed = new AtomicInteger();
    StoreClient writerClient =
        new StoreClient(
            new ShardmasterConfigurationSource(shardmaster),
            channels,
            Duration.ofSeconds(1),
            Duration.ofMillis(500));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      writers.add(
          pool.submit(
              () -> {
                for (int seq = 0; running.get() && seq < 1_000_000; seq++) {
                  String key = "w" + writer + "_" + ((seq * 37 + writer) % 1001) + "_" + seq;
                  String value = "v" + seq;
                  try {
                    writerClient.put(key, value, "");
                    acknowledged.put(key, value);
                  } catch (StatusRuntimeException e) {
                    failed.incrementAndGet();
                  }
                }
              }));
    }
    await().atMost(RECOVERY).until(() -> acknowledged.size() > 300);
    cluster.killShardkv(servers.get(0));
    int atKill = acknowledged.size();
    await().atMost(RECOVERY).until(() -> acknowledged.size() > atKill + 200);
    cluster.restartShardkv(servers.get(0));
    int afterRestart = acknowledged.size();
    await().atMost(RECOVERY).until(() -> acknowledged.size() > afterRestart + 300);
    running.set(false);
    for (Future<?> writer : writers) {
      writer.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    for (Map.Entry<String, String> write : acknowledged.entrySet()) {
      assertThat(client.get(write.getKey()).value()).as(write.getKey()).isEqualTo(write.getValue());
    }
    System.out.printf(
        "kill -9 under load: %d acknowledged writes all found after restart (%d refused while down)%n",
        acknowledged.size(), failed.get());
  }

  @Test
  void aSenderKilledMidHandoffFinishesItAfterRestart() throws Exception {
    killMidHandoff(true);
  }

  @Test
  void aReceiverKilledMidHandoffFinishesItAfterRestart() throws Exception {
    killMidHandoff(false);
  }

  /**
   * Kills one side while its state shows the handoff under way, seen through the Status RPC. The
   * other side is frozen (SIGSTOP) so the handoff cannot end before the kill: the receiver while the
   * sender is SENDING, the sender while the receiver is WAITING.
   */
  private void killMidHandoff(boolean killSender) throws Exception {
    String first = cluster.startShardkv();
    shardmaster.join(first);
    int keys = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> puts = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      int n = i;
      puts.add(pool.submit(() -> client.put("k_" + (n % 1001) + "_" + n, "value-" + n, "")));
    }
    for (Future<?> put : puts) {
      put.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    String second = cluster.startShardkv();
    String victim = killSender ? first : second;
    String frozen = killSender ? second : first;
    String victimState = killSender ? "sending" : "waiting";
    cluster.shardkv(frozen).freeze(true);
    shardmaster.join(second);
    await()
        .atMost(RECOVERY)
        .until(() -> statusOf(victim).map(s -> hasRange(s, victimState, frozen)).orElse(false));
    cluster.killShardkv(victim);
    cluster.shardkv(frozen).freeze(false);
    cluster.restartShardkv(victim);

    Configuration config = shardmaster.query();
    await()
        .atMost(RECOVERY)
        .ignoreExceptions()
        .until(
            () ->
                statusOf(first).orElseThrow().getRangesList().stream()
                        .noneMatch(r -> r.getState().equals("sending"))
                    && statusOf(second).orElseThrow().getRangesList().stream()
                        .allMatch(r -> r.getState().equals("serving"))
                    && statusOf(second).orElseThrow().getConfigNum() == config.number());
    for (int i = 0; i < keys; i++) {
      String key = "k_" + (i % 1001) + "_" + i;
      assertThat(client.get(key).value()).as(key).isEqualTo("value-" + i);
    }
    long onSecond = statusOf(second).orElseThrow().getKeys();
    long onFirst = statusOf(first).orElseThrow().getKeys();
    assertThat(onFirst + onSecond).as("no key left behind or duplicated").isEqualTo(keys);
    System.out.printf(
        "kill -9 of the %s while %s: all %d keys served after restart (%d + %d)%n",
        killSender ? "sender" : "receiver", victimState, keys, onFirst, onSecond);
  }

  private static boolean hasRange(ServerStatus status, String state, String peer) {
    return status.getRangesList().stream()
        .anyMatch(r -> r.getState().equals(state) && r.getPeer().equals(peer));
  }

  @Test
  void aKilledShardmasterComesBackWithTheSameConfiguration() {
    List<String> servers = cluster.startShardkvs(2);
    servers.forEach(shardmaster::join);
    shardmaster.move(servers.get(1), new ShardRange(0, 99));
    client.put("user_5", "Five", "");
    Configuration before = shardmaster.query();

    cluster.killAndRestartShardmaster();

    await().atMost(RECOVERY).ignoreExceptions().until(() -> shardmaster.query().equals(before));
    assertThat(client.get("user_5").value()).isEqualTo("Five");
    shardmaster.leave(List.of(servers.get(0)));
    assertThat(shardmaster.query().number()).isEqualTo(before.number() + 1);
    await().atMost(RECOVERY).ignoreExceptions().until(() -> client.get("user_5").server().equals(servers.get(1)));
  }

  private Optional<ServerStatus> statusOf(String server) {
    try {
      return Optional.of(
          ShardkvGrpc.newBlockingStub(channels.channel(server))
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .status(Empty.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
  }
}
