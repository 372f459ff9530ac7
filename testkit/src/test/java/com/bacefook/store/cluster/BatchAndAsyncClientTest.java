package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.client.BatchResult;
import com.bacefook.store.client.Reply;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ScanRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routing client's batch (PutMany, ScanKeys) and asynchronous paths, on two servers. */
class BatchAndAsyncClientTest {
  private MiniCluster cluster;
  private Servers servers;
  private StoreClient client;
  private String s1;

  @BeforeEach
  void startCluster() {
    cluster = MiniCluster.start();
    servers = new Servers(cluster);
    s1 = cluster.startAndJoin();
    client = cluster.newStoreClient();
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  private static PutRequest put(String key, String data, String user) {
    return PutRequest.newBuilder().setKey(key).setData(data).setUser(user).build();
  }

  @Test
  void aBatchSpanningOwnersLandsOnEachOwnerAndKeepsPostListsEvenFromAStaleConfiguration() {
    client.put("k_0_0", "warm the client's configuration cache", "");
    String s2 = cluster.startAndJoin();
    cluster.awaitConvergence();
    List<PutRequest> puts = new ArrayList<>();
    for (int id = 0; id <= 1000; id += 50) {
      puts.add(put("k_" + id + "_1", "v" + id, ""));
    }
    puts.add(put("post_3", "hello", "user_900"));

    // The client still routes by the one-server configuration: s1 refuses the keys s2 now owns.
    BatchResult result = client.putMany(puts);

    assertThat(result.failures()).isEmpty();
    assertThat(result.applied()).isEqualTo(puts.size());
    assertThat(servers.get(s1, "k_0_1")).contains("v0");
    assertThat(servers.get(s2, "k_1000_1")).contains("v1000");
    assertThat(servers.get(s1, "post_3")).contains("hello");
    assertThat(servers.get(s2, "user_900_posts")).contains("post_3,");
  }

  @Test
  void aBatchOfPostsWhoseAuthorsOwnerIsDownAnswersAfterOneDeadlineNotOnePerPost() {
    String s2 = cluster.startAndJoin();
    cluster.awaitConvergence();
    cluster.stopServer(s2); // owns user_900; the shardmaster is not told
    PutBatch.Builder batch = PutBatch.newBuilder();
    for (int post = 1; post <= 4; post++) {
      batch.addPuts(put("post_" + post, "hello", "user_900"));
    }

    long start = System.nanoTime();
    var reply =
        ShardkvGrpc.newBlockingStub(cluster.channels().channel(s1))
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .putMany(batch.build());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

    // Each post-list edit alone may retry for its operation deadline (10 s); the batch's edits
    // share one, so four of them do not take 40 s.
    assertThat(reply.getFailuresCount()).isEqualTo(4);
    assertThat(seconds).isLessThan(20);
  }

  @Test
  void badKeysOfABatchAreReportedByPositionAndTheRestIsWritten() {
    BatchResult result =
        client.putMany(
            List.of(put("k_1_1", "a", ""), put("nope", "b", ""), put("all_users", "c", ""), put("k_2_1", "d", "")));

    assertThat(result.failures().keySet()).containsExactly(1, 2);
    assertThat(result.failures().values())
        .allSatisfy(e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(servers.get(s1, "k_1_1")).contains("a");
    assertThat(servers.get(s1, "k_2_1")).contains("d");
  }

  @Test
  void putManyRefusesHandoffHeaders() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("bacefook-handoff", Metadata.ASCII_STRING_MARSHALLER), "127.0.0.1:1");
    headers.put(Metadata.Key.of("bacefook-handoff-config", Metadata.ASCII_STRING_MARSHALLER), "1");
    ShardkvGrpc.ShardkvBlockingStub stub =
        servers.stub(s1).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

    assertThatThrownBy(() -> stub.putMany(PutBatch.newBuilder().addPuts(put("k_1_1", "a", "")).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(servers.get(s1, "k_1_1")).isEmpty();
  }

  @Test
  void scanAllListsEveryKeyOnceWithItsAuthorAcrossPages() {
    String s2 = cluster.startAndJoin();
    cluster.awaitConvergence();
    List<PutRequest> puts = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      puts.add(put("k_" + (i * 4) + "_" + i, "v" + i, ""));
    }
    puts.add(put("post_7", "p", "user_7"));
    assertThat(client.putMany(puts).failures()).isEmpty();
    assertThat(servers.get(s2, "k_996_249")).contains("v249");

    List<PutRequest> seen = new ArrayList<>();
    long count = client.scanAll(7, seen::add);

    List<PutRequest> expected = new ArrayList<>(puts);
    expected.add(put("user_7_posts", "post_7,", ""));
    assertThat(count).isEqualTo(expected.size());
    assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aScanPageHasABoundedSize() {
    assertThatThrownBy(() -> servers.stub(s1).scanKeys(ScanRequest.newBuilder().setLimit(10_001).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void asyncPutsAndGetsRouteLikeBlockingOnes() throws Exception {
    client.put("k_0_0", "warm the client's configuration cache", "");
    String s2 = cluster.startAndJoin();
    cluster.awaitConvergence();
    List<CompletableFuture<Reply<Void>>> puts = new ArrayList<>();
    for (int id = 0; id <= 1000; id += 100) {
      puts.add(client.putAsync("k_" + id + "_2", "a" + id, ""));
    }
    for (CompletableFuture<Reply<Void>> put : puts) {
      put.get(10, TimeUnit.SECONDS);
    }

    Reply<String> far = client.getAsync("k_1000_2").get(10, TimeUnit.SECONDS);
    assertThat(far.value()).isEqualTo("a1000");
    assertThat(far.server()).isEqualTo(s2);
    assertThat(servers.get(s1, "k_0_2")).contains("a0");
  }

  @Test
  void asyncFailuresCarryTheStatusOfTheBlockingCall() {
    assertThatThrownBy(() -> client.getAsync("k_5_404").get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(() -> client.putAsync("bad key", "v", "").get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }
}
