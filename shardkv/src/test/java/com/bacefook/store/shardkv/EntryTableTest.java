package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EntryTableTest {
  private static final long DEADLINE_SECONDS = 30;

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** An entry for {@code key} holding the number {@code n} after the key. */
  private static byte[] entry(String key, int n) {
    byte[] entry = EntryTable.newEntry(utf8(key), Integer.BYTES);
    ByteBuffer.wrap(entry, EntryTable.keyEnd(entry), Integer.BYTES).putInt(n);
    return entry;
  }

  private static int number(byte[] entry) {
    return ByteBuffer.wrap(entry, EntryTable.keyEnd(entry), Integer.BYTES).getInt();
  }

  private static void put(EntryTable table, String key, int n) {
    byte[] entry = entry(key, n);
    table.compute(utf8(key), old -> entry);
  }

  private static Integer get(EntryTable table, String key) {
    byte[] entry = table.get(utf8(key));
    return entry == null ? null : number(entry);
  }

  private static void remove(EntryTable table, String key) {
    table.compute(utf8(key), old -> null);
  }

  private static Map<String, Integer> contents(EntryTable table) {
    Map<String, Integer> seen = new HashMap<>();
    for (byte[] entry : table) {
      assertThat(seen.put(EntryTable.key(entry), number(entry))).as("seen twice").isNull();
    }
    return seen;
  }

  @Test
  void storesReplacesAndRemovesEntries() {
    EntryTable table = new EntryTable();
    put(table, "k_1_a", 1);
    byte[] first = table.get(utf8("k_1_a"));
    put(table, "k_1_a", 2);
    put(table, "k_2_b", 3);

    assertThat(get(table, "k_1_a")).isEqualTo(2);
    assertThat(table.get(utf8("k_1_a"))).isNotSameAs(first);
    assertThat(table.size()).isEqualTo(2);
    remove(table, "k_1_a");
    remove(table, "missing");
    assertThat(get(table, "k_1_a")).isNull();
    assertThat(contents(table)).isEqualTo(Map.of("k_2_b", 3));
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void returningTheHeldEntryOrThrowingChangesNothing() {
    EntryTable table = new EntryTable();
    put(table, "user_1", 1);
    byte[] held = table.get(utf8("user_1"));

    assertThat(table.compute(utf8("user_1"), old -> old)).isSameAs(held);
    assertThatThrownBy(
            () -> table.compute(utf8("user_1"), old -> {
              throw new IllegalStateException("disk full");
            }))
        .hasMessage("disk full");
    assertThatThrownBy(() -> table.compute(utf8("user_1"), old -> entry("user_2", 5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> table.compute(utf8("user_3"), old -> entry("user_33", 5)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(table.get(utf8("user_1"))).isSameAs(held);
    assertThat(table.get(utf8("user_3"))).isNull();
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void keysAreUtf8BytesWhateverTheScript() {
    EntryTable table = new EntryTable();
    List<String> keys = List.of("", "k_1_ü", "用户_12", "post_🎉", "e\u0301", "e\u00e9", "\u0000", "k".repeat(300));
    for (int i = 0; i < keys.size(); i++) {
      put(table, keys.get(i), i);
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(get(table, keys.get(i))).as(keys.get(i)).isEqualTo(i);
      assertThat(EntryTable.key(table.get(utf8(keys.get(i))))).isEqualTo(keys.get(i));
    }
    assertThat(contents(table).keySet()).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(get(table, "用户_1")).isNull();
  }

  @Test
  void growsAndShrinksKeepingEveryEntry() {
    EntryTable table = new EntryTable(1);
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      put(table, "k_" + i, i);
    }
    assertThat(table.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(get(table, "k_" + i)).isEqualTo(i);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(7));
    for (int i = 0; i < n - 10; i++) {
      remove(table, "k_" + order.get(i));
    }
    Map<String, Integer> left = new HashMap<>();
    for (int i = n - 10; i < n; i++) {
      left.put("k_" + order.get(i), order.get(i));
    }
    assertThat(contents(table)).isEqualTo(left);
    left.forEach((key, value) -> assertThat(get(table, key)).isEqualTo(value));
    assertThat(get(table, "k_" + order.get(0))).isNull();
  }

  /** Random puts and removes over few keys in one small stripe: probe chains wrap and shift back. */
  @Test
  void agreesWithAMapOverRandomPutsAndRemoves() {
    EntryTable table = new EntryTable(1);
    Map<String, Integer> model = new HashMap<>();
    Random random = new Random(11);
    for (int op = 0; op < 200_000; op++) {
      String key = "k_" + random.nextInt(op < 100_000 ? 40 : 400);
      if (random.nextInt(3) == 0) {
        remove(table, key);
        model.remove(key);
      } else {
        put(table, key, op);
        model.put(key, op);
      }
      String probe = "k_" + random.nextInt(400);
      assertThat(get(table, probe)).as("%s after op %d", probe, op).isEqualTo(model.get(probe));
    }
    assertThat(contents(table)).isEqualTo(model);
    assertThat(table.size()).isEqualTo(model.size());
  }

  @Test
  void concurrentReadModifyWritesOfOneKeyAreNotLost() throws Exception {
    EntryTable table = new EntryTable();
    int writers = 4;
    int increments = 20_000;
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      done.add(
          threads.submit(
              () -> {
                for (int i = 0; i < increments; i++) {
                  table.compute(utf8("user_1"), old -> entry("user_1", old == null ? 1 : number(old) + 1));
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
    assertThat(get(table, "user_1")).isEqualTo(writers * increments);
  }

  @Test
  void concurrentWritersOfDifferentKeysEachKeepTheirOwn() throws Exception {
    EntryTable table = new EntryTable(4);
    int writers = 4;
    int keys = 5_000;
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      done.add(
          threads.submit(
              () -> {
                for (int i = 0; i < keys; i++) {
                  put(table, "k_" + writer + "_" + i, i);
                }
                for (int i = 0; i < keys; i += 2) {
                  remove(table, "k_" + writer + "_" + i);
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
    Map<String, Integer> expected = new HashMap<>();
    for (int w = 0; w < writers; w++) {
      for (int i = 1; i < keys; i += 2) {
        expected.put("k_" + w + "_" + i, i);
      }
    }
    assertThat(contents(table)).isEqualTo(expected);
    assertThat(table.size()).isEqualTo(expected.size());
  }

  @Test
  void iterationDuringUpdatesSeesEveryStableEntryOnce() throws Exception {
    EntryTable table = new EntryTable(8);
    Set<String> stable = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      put(table, "stable_" + i, i);
      stable.add("stable_" + i);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Future<?> churn =
        threads.submit(
            () -> {
              // Grows and shrinks stripes and shifts entries back while the iterations run.
              for (int round = 0; !stop.get(); round++) {
                for (int i = 0; i < 3_000; i++) {
                  put(table, "churn_" + i, round);
                  put(table, "stable_" + (i % 2_000), i % 2_000);
                }
                for (int i = 0; i < 3_000; i++) {
                  remove(table, "churn_" + i);
                }
              }
            });
    try {
      for (int pass = 0; pass < 50; pass++) {
        Map<String, Integer> seen = contents(table);
        seen.keySet().removeIf(key -> key.startsWith("churn_"));
        assertThat(seen.keySet()).isEqualTo(stable);
        seen.forEach((key, value) -> assertThat(key).isEqualTo("stable_" + value));
      }
    } finally {
      stop.set(true);
    }
    churn.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void readsDuringResizesAndShiftsAlwaysFindEveryStableEntry() throws Exception {
    EntryTable table = new EntryTable(1);
    for (int i = 0; i < 500; i++) {
      put(table, "stable_" + i, i);
    }
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<String>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Random random = new Random(r);
      readers.add(
          threads.submit(
              () -> {
                long reads = 0;
                while (!stop.get()) {
                  int i = random.nextInt(500);
                  Integer found = get(table, "stable_" + i);
                  if (found == null || found != i) {
                    return "stable_" + i + " read as " + found + " after " + reads + " reads";
                  }
                  reads++;
                }
                return null;
              }));
    }
    try {
      // Each round grows the stripe from 500 to 4,500 entries and back, shifting entries on removal,
      // then keeps about 50 more keys coming and going among the stable ones (shifts, no resize).
      for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 4_000; i++) {
          put(table, "churn_" + i, round);
        }
        for (int i = 0; i < 4_000; i++) {
          remove(table, "churn_" + i);
        }
        for (int i = 0; i < 50_000; i++) {
          put(table, "churn_" + i, round);
          remove(table, "churn_" + (i - 50));
        }
      }
    } finally {
      stop.set(true);
    }
    for (Future<String> reader : readers) {
      assertThat(reader.get(DEADLINE_SECONDS, TimeUnit.SECONDS)).isNull();
    }
  }

  @Test
  void anEntryWhoseBytesAreNotItsKeyNeverMatches() {
    byte[] key = utf8("k".repeat(200));
    assertThat(EntryTable.hasKey(EntryTable.newEntry(key, 3), key)).isTrue();
    assertThat(EntryTable.hasKey(new byte[] {(byte) 0xC8}, key)).isFalse();
    assertThat(EntryTable.hasKey(new byte[205], key)).isFalse();
    byte[] allContinuation = new byte[300];
    Arrays.fill(allContinuation, (byte) 0xFF);
    assertThat(EntryTable.hasKey(allContinuation, key)).isFalse();
    assertThat(EntryTable.hasKey(new byte[] {0}, new byte[0])).isTrue();
  }

  @Test
  void refusesAStripeCountThatIsNotAPowerOfTwo() {
    assertThatThrownBy(() -> new EntryTable(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EntryTable(512)).isInstanceOf(IllegalArgumentException.class);
  }
}
