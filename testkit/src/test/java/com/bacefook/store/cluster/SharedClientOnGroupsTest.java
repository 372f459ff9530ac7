package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One routing client shared by many threads, as the gateway and the bench share theirs, writing to
 * replica groups: its requests reach each group's log in any order, and every one must be applied once
 * (an earlier group refused every request numbered below the latest it had seen); then a batch
 * across both groups, whose writes a group commits in parallel lanes.
 */
class SharedClientOnGroupsTest {
  private static final int THREADS = 16;
  private static final int APPENDS = 25;

  @TempDir Path dataRoot;

  @Test
  void concurrentWritesThroughOneClientAreEachAppliedOnce() throws Exception {
    try (MiniCluster cluster = MiniCluster.startDurable(dataRoot)) {
      for (String group : List.of("g1", "g2")) {
        cluster.startGroup(group, 3, GroupMember.Options.DEFAULT);
      }
      for (String group : List.of("g1", "g2")) {
        cluster.awaitGroupListed(group, Duration.ofSeconds(30));
      }
      cluster.awaitConvergence();
      StoreClient client = cluster.newStoreClient();
      Map<String, String> failures = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          String key = "user_" + (t * 61 % 1001);
          done.add(pool.submit(() -> {
            for (int i = 0; i < APPENDS; i++) {
              try {
                client.append(key, "a" + i + ";");
              } catch (StatusRuntimeException e) {
                failures.put(key + " #" + i, e.getStatus().toString());
              }
            }
          }));
        }
        for (Future<?> future : done) {
          future.get(2, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(failures).as("appends refused").isEmpty();
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < APPENDS; i++) {
        expected.append("a").append(i).append(';');
      }
      for (int t = 0; t < THREADS; t++) {
        assertThat(client.get("user_" + (t * 61 % 1001)).value()).isEqualTo(expected.toString());
      }

      List<PutRequest> batch = new ArrayList<>();
      for (int id = 0; id <= 1000; id += 5) {
        batch.add(PutRequest.newBuilder().setKey("post_" + id).setData("p" + id).build());
      }
      assertThat(client.putMany(batch).failures()).as("a batch across both groups").isEmpty();
      for (PutRequest put : batch) {
        assertThat(client.get(put.getKey()).value()).isEqualTo(put.getData());
      }
    }
  }
}
