package com.bacefook.store.testkit.chaos;

import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.SocialKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The keys a chaos run works on, spread over the whole ID space: posts (each with one fixed author, so
 * the authors' post lists only ever gain entries and are left unchecked), users, and plain {@code kv_}
 * keys. A few keys are hot, so that some keys see many concurrent operations.
 */
final class KeySpace {
  private static final int AUTHORS = 20;
  private static final int HOT_KEYS = 8;
  private static final double HOT_SHARE = 0.25;

  private final List<String> keys;
  private final Map<String, String> authors = new HashMap<>();

  private KeySpace(List<String> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Returns {@code count} keys, about a third of each kind, chosen with {@code random}. */
  static KeySpace random(int count, Random random) {
    List<Integer> ids = shuffledIds(random);
    List<String> keys = new ArrayList<>(count);
    List<String> authorPool = new ArrayList<>();
    for (int i = 0; i < AUTHORS; i++) {
      authorPool.add(SocialKeys.user(ids.get(i)));
    }
    for (int i = 0; i < count; i++) {
      int id = ids.get(i % ids.size());
      switch (i % 3) {
        case 0 -> keys.add(SocialKeys.post(id));
        case 1 -> keys.add(SocialKeys.user(id));
        default -> keys.add("kv_" + id);
      }
    }
    KeySpace space = new KeySpace(keys);
    for (String key : keys) {
      if (SocialKeys.isPost(key)) {
        space.authors.put(key, authorPool.get(random.nextInt(AUTHORS)));
      }
    }
    return space;
  }

  private static List<Integer> shuffledIds(Random random) {
    List<Integer> ids = new ArrayList<>(KeyId.COUNT);
    for (int id = KeyId.MIN; id <= KeyId.MAX; id++) {
      ids.add(id);
    }
    Collections.shuffle(ids, random);
    return ids;
  }

  /** Returns all the keys. */
  List<String> keys() {
    return keys;
  }

  /** Returns a key: a hot one a quarter of the time, otherwise any. */
  String pick(Random random) {
    if (random.nextDouble() < HOT_SHARE) {
      return keys.get(random.nextInt(Math.min(HOT_KEYS, keys.size())));
    }
    return keys.get(random.nextInt(keys.size()));
  }

  /** Returns the author a {@code Put} of {@code key} names: its fixed author for a post, else empty. */
  String authorOf(String key) {
    return authors.getOrDefault(key, "");
  }
}
