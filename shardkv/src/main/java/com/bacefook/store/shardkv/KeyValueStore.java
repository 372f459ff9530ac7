package com.bacefook.store.shardkv;

import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.SocialKeys;
import com.google.common.collect.Iterables;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The keys one server holds, with each key's metadata, and the users among them in the order they were
 * first stored ({@code all_users}). Served from memory; every change is written through to {@link
 * Persistence} inside the key's atomic update, so what is on disk follows the same per-key order.
 * Writes are not synced here: a client write is durable once {@link #synced} completes after it (one
 * sync shared by concurrent writers, run by no thread that holds a key or a lock); handoff bulk writes
 * are made durable by the handoff step that follows them. In memory no {@link Changes} is built at
 * all. No RPC ever runs here.
 *
 * <p>Each key is one array in an {@link EntryTable}: the key, the author and the value in UTF-8 (see
 * {@link StoredValue}), about 150 bytes of heap for a 10-byte key and a 100-byte value. A {@link
 * StoredValue} read from the store is a view of that array, made on each read. Keys are compared as
 * UTF-8 bytes: a key from the wire is valid UTF-8, so two keys never share bytes.
 */
final class KeyValueStore {
  /**
   * The longest value, in characters: at most 6 MiB in UTF-8, so that a key, its value and its author
   * always fit in one 8 MiB handoff message.
   */
  static final int MAX_VALUE_CHARS = 2 * 1024 * 1024;

  private final Persistence persistence;
  private final boolean durable;
  private final EntryTable entries = new EntryTable();
  /**
   * The {@code user_<N>} keys held, in first-stored order. Guarded by itself; changed only within the
   * key's update, so it follows each key's own order of creations and removals.
   */
  private final Set<String> users = new LinkedHashSet<>();
  private final AtomicLong userSeq = new AtomicLong();
  /** Bytes of keys and values held (UTF-8): a rough size. */
  private final AtomicLong bytes = new AtomicLong();

  /** Creates a store holding what {@code loaded} kept. */
  KeyValueStore(Persistence persistence, List<Persistence.LoadedKey> loaded) {
    this.persistence = persistence;
    this.durable = persistence.durable();
    List<Persistence.LoadedKey> byUserSeq = new ArrayList<>();
    for (Persistence.LoadedKey key : loaded) {
      byte[] keyBytes = utf8(key.key());
      byte[] entry = key.value().entryFor(keyBytes);
      entries.compute(keyBytes, old -> entry);
      bytes.addAndGet(sizeOf(key.key(), key.value()));
      if (key.userSeq() >= 0) {
        byUserSeq.add(key);
      }
    }
    byUserSeq.sort(Comparator.comparingLong(Persistence.LoadedKey::userSeq));
    for (Persistence.LoadedKey key : byUserSeq) {
      users.add(key.key());
      userSeq.set(key.userSeq() + 1);
    }
  }

  /** Creates an empty store that keeps nothing. */
  KeyValueStore() {
    this(Persistence.NONE, List.of());
  }

  Optional<StoredValue> get(String key) {
    byte[] entry = entries.get(utf8(key));
    return entry == null ? Optional.empty() : Optional.of(StoredValue.ofEntry(entry));
  }

  /** Returns whether writes are kept on disk (else {@link #synced} completes at once). */
  boolean durable() {
    return durable;
  }

  /**
   * Completes once every write made before this call is durable (at once in memory); fails with the
   * storage error if the sync failed.
   */
  CompletionStage<Void> synced() {
    return persistence.synced();
  }

  /** Stores {@code value}, replacing any previous one, and returns the previous one or {@code null}. */
  StoredValue put(String key, StoredValue value) {
    return update(key, old -> value);
  }

  /** Appends {@code data} (UTF-8) to the value of {@code key}, creating it (with no author) if missing. */
  void append(String key, ByteString data) {
    update(key, old -> old == null ? StoredValue.of(data, null) : old.append(data));
  }

  /** Removes {@code key} and returns what it held, or {@code null}. */
  StoredValue remove(String key) {
    return update(key, old -> null);
  }

  /**
   * Adds {@code item} to the comma-terminated list under {@code key} if absent (creating the key), or
   * with {@code remove} takes it out (leaving a missing key missing).
   */
  void updateList(String key, String item, boolean remove) {
    update(
        key,
        old -> {
          if (remove) {
            return old == null ? null : old.withValue(SocialKeys.removeItem(old.value(), item));
          }
          if (old == null) {
            return new StoredValue(SocialKeys.appendItem("", item), null);
          }
          return SocialKeys.containsItem(old.value(), item)
              ? old
              : old.withValue(SocialKeys.appendItem(old.value(), item));
        });
  }

  /**
   * Removes {@code key} only if it still holds exactly the entry {@code expected} was read from or
   * stored as (not merely an equal value); returns whether it did. Not synced: the caller makes it
   * durable.
   */
  boolean removeIfUnchanged(String key, StoredValue expected) {
    boolean[] removed = new boolean[1];
    update(
        key,
        old -> {
          removed[0] = old != null && old.sameEntry(expected);
          return removed[0] ? null : old;
        });
    return removed[0];
  }

  /** Stores a handed-over value, replacing any, or only if absent. Not synced: the caller syncs. */
  void install(String key, StoredValue value, boolean onlyIfAbsent) {
    update(key, old -> onlyIfAbsent && old != null ? old : value);
  }

  /** Removes every key whose ID is in {@code ids}. Not synced: the caller makes it durable. */
  void removeAll(IdSet ids) {
    for (byte[] entry : entries) {
      String key = EntryTable.key(entry);
      if (ids.contains(KeyId.of(key))) {
        update(key, old -> null);
      }
    }
  }

  /** Returns the entries whose key ID is in {@code ids}, as they are now. */
  List<Map.Entry<String, StoredValue>> entriesIn(IdSet ids) {
    List<Map.Entry<String, StoredValue>> found = new ArrayList<>();
    for (byte[] entry : entries) {
      String key = EntryTable.key(entry);
      if (ids.contains(KeyId.of(key))) {
        found.add(Map.entry(key, StoredValue.ofEntry(entry)));
      }
    }
    return found;
  }

  /** Returns the first {@code limit} entries after {@code after} whose key ID is in {@code ids}. */
  KeyPage page(IdSet ids, KeyCursor after, int limit) {
    return KeyPage.select(
        Iterables.transform(
            entries, entry -> Map.entry(EntryTable.key(entry), StoredValue.ofEntry(entry))),
        ids,
        after,
        limit);
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

  /** Returns the bytes (UTF-8) of keys and values held, a rough size of the data. */
  long bytes() {
    return bytes.get();
  }

  private static byte[] utf8(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static long sizeOf(String key, StoredValue value) {
    return value == null ? 0 : key.length() + value.byteLength();
  }

  /**
   * Replaces the value of {@code key} by {@code change} of it (null meaning absent) atomically, writing
   * the change through to persistence (not synced) within the same per-key step; returns the previous
   * value.
   */
  private StoredValue update(String key, UnaryOperator<StoredValue> change) {
    StoredValue[] previous = new StoredValue[1];
    boolean user = SocialKeys.isUser(key);
    byte[] keyBytes = utf8(key);
    entries.compute(
        keyBytes,
        oldEntry -> {
          StoredValue old = oldEntry == null ? null : StoredValue.ofEntry(oldEntry);
          previous[0] = old;
          StoredValue next = change.apply(old);
          if (next == old) {
            return oldEntry;
          }
          // A value has at least a third as many characters as UTF-8 bytes: count only long ones.
          if (next != null
              && next.byteLength() > MAX_VALUE_CHARS
              && next.value().length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException(
                "the value of " + Quote.of(key) + " would be " + next.value().length()
                    + " characters; the limit is " + MAX_VALUE_CHARS);
          }
          byte[] nextEntry = next == null ? null : next.entryFor(keyBytes);
          if (durable) {
            Changes changes = new Changes().key(key, next);
            if (user && old == null) {
              changes.user(key, userSeq.getAndIncrement());
            } else if (user && next == null) {
              changes.user(key, -1);
            }
            persistence.apply(changes, false);
          }
          bytes.addAndGet(sizeOf(key, next) - sizeOf(key, old));
          if (user && (old == null) != (next == null)) {
            synchronized (users) {
              if (next != null) {
                users.add(key);
              } else {
                users.remove(key);
              }
            }
          }
          return nextEntry;
        });
    return previous[0];
  }
}
