package com.bacefook.store.shardkv;

import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One page of a scan: the first {@code limit} entries after a cursor, in {@link KeyCursor} order, among
 * those whose key ID is in a set; {@code done} when no such entry follows the page.
 */
record KeyPage(List<Map.Entry<String, StoredValue>> entries, boolean done) {
  /**
   * Selects the page from {@code all} (any order) in one pass, keeping at most {@code limit} candidates
   * in a heap.
   */
  static KeyPage select(
      Iterable<Map.Entry<String, StoredValue>> all, IdSet ids, KeyCursor after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a page needs a limit of at least 1, got " + limit);
    }
    Comparator<Candidate> byCursor = Comparator.comparing(Candidate::cursor);
    PriorityQueue<Candidate> largestFirst = new PriorityQueue<>(byCursor.reversed());
    boolean more = false;
    for (Map.Entry<String, StoredValue> entry : all) {
      int id = KeyId.of(entry.getKey());
      if (!ids.contains(id)) {
        continue;
      }
      KeyCursor cursor = new KeyCursor(id, entry.getKey());
      if (cursor.compareTo(after) <= 0) {
        continue;
      }
      if (largestFirst.size() < limit) {
        largestFirst.add(new Candidate(cursor, entry.getValue()));
      } else {
        more = true;
        if (cursor.compareTo(largestFirst.peek().cursor()) < 0) {
          largestFirst.poll();
          largestFirst.add(new Candidate(cursor, entry.getValue()));
        }
      }
    }
    List<Candidate> sorted = new ArrayList<>(largestFirst);
    sorted.sort(byCursor);
    List<Map.Entry<String, StoredValue>> entries = new ArrayList<>(sorted.size());
    for (Candidate c : sorted) {
      entries.add(Map.entry(c.cursor().key(), c.value()));
    }
    return new KeyPage(List.copyOf(entries), !more);
  }

  private record Candidate(KeyCursor cursor, StoredValue value) {}
}
