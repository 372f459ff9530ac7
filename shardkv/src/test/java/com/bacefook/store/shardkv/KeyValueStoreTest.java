package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.ShardRange;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyValueStoreTest {
  @TempDir Path dir;

  @Test
  void putGetAppendAndRemove() {
    KeyValueStore store = new KeyValueStore();

    assertThat(store.put("user_1", new StoredValue("Ann", null))).isNull();
    store.append("user_1", ByteString.copyFromUtf8("e"));
    store.append("post_2", ByteString.copyFromUtf8("hi"));

    assertThat(store.get("user_1")).contains(new StoredValue("Anne", null));
    assertThat(store.get("post_2")).contains(new StoredValue("hi", null));
    assertThat(store.remove("user_1")).isEqualTo(new StoredValue("Anne", null));
    assertThat(store.get("user_1")).isEmpty();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.bytes()).isEqualTo("post_2".length() + "hi".length());
  }

  @Test
  void listsUsersInTheOrderTheyWereFirstStored() {
    KeyValueStore store = new KeyValueStore();
    store.put("user_9", new StoredValue("Nine", null));
    store.put("user_3", new StoredValue("Three", null));
    store.put("post_3", new StoredValue("not a user", null));
    store.put("user_9", new StoredValue("Nine again", null));

    assertThat(store.allUsers()).isEqualTo("user_9,user_3,");
    store.remove("user_9");
    assertThat(store.allUsers()).isEqualTo("user_3,");
  }

  @Test
  void concurrentPutsAndRemovesLeaveAllUsersMatchingTheKeysHeld() throws Exception {
    KeyValueStore store = new KeyValueStore();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Random random = new Random(t);
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 20_000; i++) {
                    String user = "user_" + random.nextInt(6);
                    if (random.nextBoolean()) {
                      store.put(user, new StoredValue("name", null));
                    } else {
                      store.remove(user);
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    List<String> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      if (store.get("user_" + i).isPresent()) {
        held.add("user_" + i);
      }
    }
    assertThat(store.allUsers().split(",")).containsExactlyInAnyOrderElementsOf(
        held.isEmpty() ? List.of("") : held);
  }

  @Test
  void keysAndValuesInAnyScriptAndEmptyValuesAreKept() {
    KeyValueStore store = new KeyValueStore();
    store.put("k_1_日本語", new StoredValue("", null));
    store.put("k_1_nihongo", new StoredValue("🎉", "user_2"));

    assertThat(store.get("k_1_日本語")).contains(new StoredValue("", null));
    assertThat(store.get("k_1_nihongo")).contains(new StoredValue("🎉", "user_2"));
    assertThat(store.entriesIn(IdSet.of(List.of(new ShardRange(1, 1)))))
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("k_1_日本語", "k_1_nihongo");
    assertThat(store.bytes()).isEqualTo("k_1_日本語".length() + "k_1_nihongo".length() + 4);
  }

  @Test
  void postListsAddEachPostOnceAndRemoveIt() {
    KeyValueStore store = new KeyValueStore();
    store.updateList("user_1_posts", "post_2", false);
    store.updateList("user_1_posts", "post_5", false);
    store.updateList("user_1_posts", "post_2", false);
    assertThat(store.get("user_1_posts").orElseThrow().value()).isEqualTo("post_2,post_5,");

    store.updateList("user_1_posts", "post_2", true);
    store.updateList("user_7_posts", "post_2", true);
    assertThat(store.get("user_1_posts").orElseThrow().value()).isEqualTo("post_5,");
    assertThat(store.get("user_7_posts")).isEmpty();
  }

  @Test
  void refusesAValueOverTheLimitAndKeepsTheOldOne() {
    KeyValueStore store = new KeyValueStore();
    store.put("post_1", new StoredValue("x", null));

    ByteString tooMuch = ByteString.copyFromUtf8("y".repeat(KeyValueStore.MAX_VALUE_CHARS));
    assertThatThrownBy(() -> store.append("post_1", tooMuch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the limit is");
    assertThat(store.get("post_1")).contains(new StoredValue("x", null));
  }

  @Test
  void removesOnlyAnUnchangedEntryAndInstallsOnlyWhereAsked() {
    KeyValueStore store = new KeyValueStore();
    store.put("k_1", new StoredValue("v1", null));
    StoredValue snapshot = store.get("k_1").orElseThrow();
    store.put("k_2", new StoredValue("v2", null));
    StoredValue sent = store.get("k_2").orElseThrow();
    store.put("k_2", new StoredValue("v2", null)); // equal, but written again since the snapshot

    assertThat(store.removeIfUnchanged("k_1", snapshot)).isTrue();
    assertThat(store.removeIfUnchanged("k_2", sent)).isFalse();

    store.install("k_2", new StoredValue("handed", null), true);
    store.install("k_3", new StoredValue("handed", null), true);
    store.install("k_4", new StoredValue("handed", null), false);
    assertThat(store.get("k_2")).contains(new StoredValue("v2", null));
    assertThat(store.get("k_3")).contains(new StoredValue("handed", null));
    assertThat(store.entriesIn(IdSet.of(List.of(new ShardRange(3, 4)))))
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("k_3", "k_4");

    store.removeAll(IdSet.of(List.of(new ShardRange(0, 3))));
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.get("k_4")).isPresent();
  }

  @Test
  void aReopenedDurableStoreHoldsItsKeysUsersAndAuthors() {
    try (Persistence rocks = RocksPersistence.open(dir)) {
      KeyValueStore store = new KeyValueStore(rocks, rocks.load().keys());
      store.put("user_4", new StoredValue("Four", null));
      store.put("user_2", new StoredValue("Two", null));
      store.put("post_8", new StoredValue("text", "user_4"));
      store.remove("user_4");
      store.put("user_4", new StoredValue("Four again", null));
    }
    try (Persistence rocks = RocksPersistence.open(dir)) {
      KeyValueStore reopened = new KeyValueStore(rocks, rocks.load().keys());

      assertThat(reopened.get("post_8")).contains(new StoredValue("text", "user_4"));
      assertThat(reopened.allUsers()).isEqualTo("user_2,user_4,");
      assertThat(reopened.size()).isEqualTo(3);
    }
  }

  @Test
  void aFailedWriteIsAnInternalErrorAndChangesNothing() {
    Persistence failing =
        new Persistence() {
          @Override
          public void apply(Changes changes, boolean sync) {
            throw new IllegalStateException("write to the store failed: disk full");
          }

          @Override
          public CompletionStage<Void> synced() {
            return SYNCED;
          }

          @Override
          public Loaded load() {
            return new Loaded(List.of(), Map.of());
          }

          @Override
          public boolean durable() {
            return true;
          }

          @Override
          public void close() {}
        };
    KeyValueStore store = new KeyValueStore(new GuardedPersistence("a", failing), List.of());

    try (CapturedLog log = new CapturedLog(GuardedPersistence.class)) {
      assertThatThrownBy(() -> store.put("user_1", new StoredValue("Ann", null)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                assertThat(e.getStatus().getDescription()).contains("disk full");
              });
      assertThat(log.at(Level.ERROR)).containsExactly("a: write to the store failed");
    }
    assertThat(store.get("user_1")).isEmpty();
  }

  @Test
  void aWriteAfterCloseSaysTheServerIsStopping() {
    GuardedPersistence closed = new GuardedPersistence("a", new RecordingPersistence());
    closed.close();
    KeyValueStore store = new KeyValueStore(closed, List.of());

    assertThatThrownBy(() -> store.put("user_1", new StoredValue("Ann", null)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
