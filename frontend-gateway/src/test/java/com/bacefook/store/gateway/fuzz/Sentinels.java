package com.bacefook.store.gateway.fuzz;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Users and posts written before the fuzzing under IDs the fuzzer never names in a request that
 * could change them, as the API showed them then: {@code users} (ID to name) and {@code walls}
 * (user ID to its posts, post ID to text).
 */
record Sentinels(Map<String, String> users, Map<String, Map<String, String>> walls) {
  /**
   * The sentinel IDs: both ends of the ID range and of each server's initial range, and some
   * between.
   */
  static final Set<Integer> IDS = Set.of(0, 1, 166, 333, 334, 500, 666, 667, 999, 1000);

  Sentinels {
    // Sorted, so that a seed picks the same sentinels in every run.
    users = Collections.unmodifiableSortedMap(new TreeMap<>(users));
    walls = Collections.unmodifiableSortedMap(new TreeMap<>(walls));
  }

  boolean hasUser(String userId) {
    return users.containsKey(userId);
  }

  boolean hasPost(String postId) {
    return walls.values().stream().anyMatch(wall -> wall.containsKey(postId));
  }
}
