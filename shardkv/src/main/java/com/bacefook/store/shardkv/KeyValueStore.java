package com.bacefook.store.shardkv;

import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.SocialKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys one server holds, in memory, with each key's metadata; and the users among them in the order
 * they were first stored ({@code all_users}). Each operation is atomic per key; no RPC ever runs here.
 */
final class KeyValueStore {
  private final ConcurrentHashMap<String, StoredValue> entries = new ConcurrentHashMap<>();
  /** The {@code user_<N>} keys held, in first-stored order. Guarded by itself; never held across calls out. */
  private final Set<String> users = new LinkedHashSet<>();

  Optional<StoredValue> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  /** Stores {@code value}, replacing any previous one, and returns the previous one or {@code null}. */
  StoredValue put(String key, StoredValue value) {
    StoredValue previous = entries.put(key, value);
    if (previous == null) {
      noteAdded(key);
    }
    return previous;
  }

  /** Stores {@code value} unless {@code key} already has one. */
  void putIfAbsent(String key, StoredValue value) {
    if (entries.putIfAbsent(key, value) == null) {
      noteAdded(key);
    }
  }

  /** Removes every key whose ID is in {@code ids}. */
  void removeAll(IdSet ids) {
    for (Map.Entry<String, StoredValue> entry : entries.entrySet()) {
      if (ids.contains(KeyId.of(entry.getKey()))) {
        remove(entry.getKey());
      }
    }
  }

  /** Returns the entries whose key ID is in {@code ids}, as they are now. */
  List<Map.Entry<String, StoredValue>> entriesIn(IdSet ids) {
    List<Map.Entry<String, StoredValue>> found = new ArrayList<>();
    for (Map.Entry<String, StoredValue> entry : entries.entrySet()) {
      if (ids.contains(KeyId.of(entry.getKey()))) {
        found.add(Map.entry(entry.getKey(), entry.getValue()));
      }
    }
    return found;
  }

  /** Appends {@code data} to the value of {@code key}, creating it (with no author) if missing. */
  void append(String key, String data) {
    boolean[] created = new boolean[1];
    entries.compute(
        key,
        (k, old) -> {
          if (old == null) {
            created[0] = true;
            return new StoredValue(data, null);
          }
          return old.withValue(old.value() + data);
        });
    if (created[0]) {
      noteAdded(key);
    }
  }

  /** Removes {@code key} and returns what it held, or {@code null}. */
  StoredValue remove(String key) {
    StoredValue previous = entries.remove(key);
    if (previous != null) {
      noteRemoved(key);
    }
    return previous;
  }

  /** Removes {@code key} only if it still holds exactly {@code expected}; returns whether it did. */
  boolean removeIfUnchanged(String key, StoredValue expected) {
    boolean removed = entries.remove(key, expected);
    if (removed) {
      noteRemoved(key);
    }
    return removed;
  }

  /**
   * Adds {@code item} to the comma-terminated list under {@code key} if absent (creating the key), or
   * with {@code remove} takes it out (leaving a missing key missing).
   */
  void updateList(String key, String item, boolean remove) {
    boolean[] created = new boolean[1];
    entries.compute(
        key,
        (k, old) -> {
          if (remove) {
            return old == null ? null : old.withValue(SocialKeys.removeItem(old.value(), item));
          }
          if (old == null) {
            created[0] = true;
            return new StoredValue(SocialKeys.appendItem("", item), null);
          }
          if (SocialKeys.containsItem(old.value(), item)) {
            return old;
          }
          return old.withValue(SocialKeys.appendItem(old.value(), item));
        });
    if (created[0]) {
      noteAdded(key);
    }
  }

  /** Returns {@code all_users}: the users held, comma-terminated, in first-stored order. */
  String allUsers() {
    StringBuilder list = new StringBuilder();
    synchronized (users) {
      for (String user : users) {
        list.append(user).append(',');
      }
    }
    return list.toString();
  }

  int size() {
    return entries.size();
  }

  private void noteAdded(String key) {
    if (SocialKeys.isUser(key)) {
      synchronized (users) {
        if (entries.containsKey(key)) {
          users.add(key);
        }
      }
    }
  }

  private void noteRemoved(String key) {
    if (SocialKeys.isUser(key)) {
      synchronized (users) {
        if (!entries.containsKey(key)) {
          users.remove(key);
        }
      }
    }
  }
}
