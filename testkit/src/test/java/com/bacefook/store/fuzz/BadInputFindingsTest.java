package com.bacefook.store.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.PostListUpdate;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.FreePorts;
import com.bacefook.store.testkit.MiniCluster;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The failures {@link GrpcFuzzTest} found (issue #7), each cut down to a deterministic reproduction that
 * asserts what should hold. They fail until the servers are fixed.
 */
@Tag("fuzz")
class BadInputFindingsTest {
  private static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(3);
  private static final long DEADLINE_MS = 10_000;

  private MiniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ShardkvGrpc.ShardkvBlockingStub kv(String server) {
    return ShardkvGrpc.newBlockingStub(cluster.channels().channel(server))
        .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
  }

  private static String read(StoreClient client, String key) {
    try {
      return client.get(key).value();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().toString();
    }
  }

  private static Status statusOf(Runnable call) {
    try {
      call.run();
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private static HandoffDone done(long config, String sender, int lower, int upper, long keyCount) {
    return HandoffDone.newBuilder()
        .setConfigNum(config)
        .setSender(sender)
        .addShards(Shard.newBuilder().setLower(lower).setUpper(upper))
        .setKeyCount(keyCount)
        .build();
  }

  /**
   * The refusal's description echoes the 1,024-character name; percent-encoded (9 bytes per CJK
   * character) the {@code grpc-message} trailer exceeds the client's 8 KiB header limit, and the client
   * sees {@code INTERNAL: http2 exception} (HeaderListSizeException) instead of INVALID_ARGUMENT. Keys
   * of up to 1,024 such characters do the same on every shardkv RPC.
   */
  @Test
  void aLongNonAsciiNameIsRefusedWithInvalidArgumentNotInternal() {
    cluster = MiniCluster.start();
    ShardmasterGrpc.ShardmasterBlockingStub shardmaster =
        ShardmasterGrpc.newBlockingStub(cluster.channels().channel(cluster.shardmasterAddress()))
            .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
    String name = "\u4E2D".repeat(1_024);
    Status status = statusOf(() -> shardmaster.join(JoinRequest.newBuilder().setServer(name).build()));
    assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  /**
   * An UpdatePostList whose user is 20,000 characters gets a description so large that Netty treats
   * the trailer as a connection error: the whole connection is torn down and other clients' calls in
   * flight on it (here Appends, whose outcome is now unknown) fail with INTERNAL.
   */
  @Test
  void oneBadRequestDoesNotFailOtherCallsOnTheSameConnection() throws InterruptedException {
    cluster = MiniCluster.start();
    String server = cluster.startAndJoin();
    ShardkvGrpc.ShardkvStub async = ShardkvGrpc.newStub(cluster.channels().channel(server));
    Map<Status.Code, AtomicInteger> appends = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(200);
    for (int i = 0; i < 200; i++) {
      if (i == 100) {
        PostListUpdate bad =
            PostListUpdate.newBuilder().setUser("x".repeat(20_000)).setPost("post_1").build();
        async.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS).updatePostList(bad, observer(null, null));
      }
      AppendRequest append =
          AppendRequest.newBuilder().setKey("post_" + i).setData("x".repeat(200_000)).build();
      async.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS).append(append, observer(appends, done));
    }
    assertThat(done.await(DEADLINE_MS * 2, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(appends.keySet())
        .as("statuses of 200 valid Appends: %s", appends)
        .containsOnly(Status.Code.OK);
  }

  private static StreamObserver<Empty> observer(Map<Status.Code, AtomicInteger> codes, CountDownLatch done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(Empty reply) {}

      @Override
      public void onError(Throwable t) {
        finish(Status.fromThrowable(t).getCode());
      }

      @Override
      public void onCompleted() {
        finish(Status.Code.OK);
      }

      private void finish(Status.Code code) {
        if (codes != null) {
          codes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
          done.countDown();
        }
      }
    };
  }

  /**
   * A forged {@code EndHandoff(next configuration, real sender, range, key_count 0)} is acknowledged
   * and marks that handoff as installed, and makes the receiver serve the range at once, empty. When the
   * real Move follows, the real EndHandoff counts as a repeat and installs nothing, and the sender,
   * acknowledged, deletes its copies: the range's data is gone for good.
   */
  @Test
  void aForgedEndHandoffCannotLoseARangeThatMovesLater() {
    cluster = MiniCluster.start();
    String a = cluster.startAndJoin();
    String b = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    client.put("post_100", "precious", "");
    long next = cluster.shardmasterClient().query().number() + 1;
    Status forged = statusOf(() -> kv(b).endHandoff(done(next, a, 0, 500, 0)));

    cluster.shardmasterClient().move(b, new ShardRange(0, 500));
    cluster.awaitConvergence();
    assertThat(read(client, "post_100"))
        .as("after forged EndHandoff (%s) and the Move", forged)
        .isEqualTo("precious");
  }

  /**
   * While a server waits for a dead member's handoff it still holds its own old copies, which it serves
   * once the wait times out. A forged {@code EndHandoff(current configuration, anyone, that range,
   * key_count 0)} removes every key held but not served in the range: the only copies.
   */
  @Test
  void aForgedEndHandoffCannotDeleteKeysWhileWaitingForADeadMember() {
    cluster = MiniCluster.start(ShardkvServer.Options.DEFAULT.withHandoffTimeout(HANDOFF_TIMEOUT));
    cluster.startAndJoin();
    String b = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    client.put("post_700", "precious", "");
    String dead = "127.0.0.1:" + FreePorts.next();
    cluster.shardmasterClient().join(dead);
    cluster.shardmasterClient().leave(List.of(dead));
    long latest = cluster.shardmasterClient().query().number();
    await().atMost(Duration.ofSeconds(5)).until(() -> cluster.server(b).configuration().number() == latest);
    Status forged = statusOf(() -> kv(b).endHandoff(done(latest, "nobody", 668, 1000, 0)));

    await().atMost(Duration.ofSeconds(20)).until(() -> !cluster.server(b).handoffInProgress());
    assertThat(read(client, "post_700")).as("after forged EndHandoff (%s)", forged).isEqualTo("precious");
  }

  /**
   * A forged handoff batch naming a real sender and the next configuration stages one key too many in
   * that handoff's batch. The receiver then refuses the real EndHandoff forever ("has 2 of the 1 keys
   * ... send them again"), times out, and serves the range without its keys.
   */
  @Test
  void aForgedHandoffPutCannotWedgeARealHandoff() {
    cluster = MiniCluster.start(ShardkvServer.Options.DEFAULT.withHandoffTimeout(HANDOFF_TIMEOUT));
    String a = cluster.startAndJoin();
    String b = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    client.put("post_100", "precious", "");
    long next = cluster.shardmasterClient().query().number() + 1;
    ShardkvGrpc.ShardkvBlockingStub forger = Handoff.mark(kv(b), a, next);
    Status forged =
        statusOf(
            () ->
                forger.handoffPuts(
                    PutBatch.newBuilder()
                        .addPuts(PutRequest.newBuilder().setKey("post_101").setData("junk"))
                        .build()));

    cluster.shardmasterClient().move(b, new ShardRange(0, 500));
    await().atMost(Duration.ofSeconds(20)).until(() -> !cluster.server(b).handoffInProgress());
    assertThat(read(client, "post_100"))
        .as("after forged handoff batch (%s) and the Move", forged)
        .isEqualTo("precious");
  }

  /**
   * UpdatePostList accepts a post whose ID is out of range; GDPR delete of that user then fails with
   * INVALID_ARGUMENT "incomplete; run it again" on every attempt.
   */
  @Test
  void gdprDeleteCompletesWhateverThePostListHolds() {
    cluster = MiniCluster.start();
    String a = cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    client.put("user_5", "five", "");
    Status update =
        statusOf(
            () ->
                kv(a).updatePostList(
                    PostListUpdate.newBuilder().setUser("user_5").setPost("post_99999").build()));
    Status first = statusOf(() -> cluster.shardmasterClient().gdprDelete("user_5"));
    Status second = statusOf(() -> cluster.shardmasterClient().gdprDelete("user_5"));
    assertThat(List.of(first.getCode(), second.getCode()))
        .as("UpdatePostList of post_99999 -> %s; GDPR deletes -> %s, %s", update, first, second)
        .contains(Status.Code.OK);
  }

  /**
   * GDPR delete removes every item of {@code user_N_posts}, whatever it is: a valid Put of
   * {@code user_3_posts = "user_6,"} makes erasing user_3 erase user_6.
   */
  @Test
  void gdprDeleteOfOneUserLeavesOtherUsersAlone() {
    cluster = MiniCluster.start();
    cluster.startAndJoin();
    StoreClient client = cluster.newStoreClient();
    client.put("user_3", "three", "");
    client.put("user_6", "six", "");
    client.put("user_3_posts", "user_6,", "");
    cluster.shardmasterClient().gdprDelete("user_3");
    assertThat(read(client, "user_6")).isEqualTo("six");
  }

  /**
   * Two Appends of 5 MiB make a 10 MiB value (each request is under the 8 MiB limit). Its range can
   * never be handed off: every handoff batch gets RESOURCE_EXHAUSTED, the sender retries forever, and
   * after the timeout the new owner serves the range without any of its keys.
   */
  @Test
  void appendCannotGrowAValueBeyondWhatAHandoffCarries() {
    cluster = MiniCluster.start(ShardkvServer.Options.DEFAULT.withHandoffTimeout(HANDOFF_TIMEOUT));
    cluster.startAndJoin();
    String b = cluster.startServer();
    StoreClient client = cluster.newStoreClient();
    client.put("post_700", "small", "");
    String five = "x".repeat(5 << 20);
    Status first = statusOf(() -> client.append("post_701", five));
    Status second = statusOf(() -> client.append("post_701", five));

    cluster.shardmasterClient().join(b);
    await().atMost(Duration.ofSeconds(20))
        .until(
            () ->
                cluster.server(b).configuration().number() == 2
                    && !cluster.server(b).handoffInProgress());
    assertThat(read(client, "post_700"))
        .as("a small key moving with a value grown by Appends (%s, %s)", first.getCode(), second.getCode())
        .isEqualTo("small");
  }
}
