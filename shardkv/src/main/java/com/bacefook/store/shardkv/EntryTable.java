package com.bacefook.store.shardkv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;
import java.util.function.UnaryOperator;

/**
 * A concurrent hash table of entries, each entry one {@code byte[]} that begins with its key: the key's
 * length as a {@link Varint}, then the key's bytes; what follows is the caller's. Per entry it costs
 * the array and about two slots (a reference and the key's hash), instead of a map node, a key object
 * and a value object.
 *
 * <p>The table is split by key hash into {@link #STRIPES} stripes. Each stripe is an open-addressing
 * table (linear probing, at most three quarters full, doubled when fuller and halved when under an
 * eighth full, removal by backward shift so no tombstones are left) guarded by its own lock; a
 * resize copies one stripe, never the whole table. The key's hash is kept beside each slot, so probing
 * compares the key bytes only of a slot whose hash matches, and a resize reads no entry. A read takes
 * no lock unless a write of its stripe overlaps it: it probes optimistically and validates the
 * stripe's {@link StampedLock} stamp afterwards, retrying under the read lock if a write came between.
 *
 * <p>Entries are never changed once stored: a change stores a new array. So an entry returned by
 * {@link #get} or the iterator stays valid, and the identity of the array tells whether a key was
 * written since it was read.
 */
final class EntryTable implements Iterable<byte[]> {
  /** Stripes in a table made by {@link #EntryTable()}: a power of two, at most 256. */
  static final int STRIPES = 64;

  private static final int MIN_CAPACITY = 8;

  private final Stripe[] stripes;
  private final AtomicInteger size = new AtomicInteger();

  /** Creates an empty table of {@link #STRIPES} stripes. */
  EntryTable() {
    this(STRIPES);
  }

  /** Creates an empty table of {@code stripes} stripes (a power of two, at most 256). */
  EntryTable(int stripes) {
    if (stripes < 1 || stripes > 256 || Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two in [1, 256], got " + stripes);
    }
    this.stripes = new Stripe[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new Stripe();
    }
  }

  /** Returns a new entry for {@code key} with {@code restLength} bytes after the key, all zero. */
  static byte[] newEntry(byte[] key, int restLength) {
    byte[] entry = new byte[Varint.size(key.length) + key.length + restLength];
    int at = Varint.write(entry, 0, key.length);
    System.arraycopy(key, 0, entry, at, key.length);
    return entry;
  }

  /** Returns the index in {@code entry} where its key ends and the caller's part begins. */
  static int keyEnd(byte[] entry) {
    int length = Varint.read(entry, 0);
    return Varint.size(length) + length;
  }

  /** Returns the key of {@code entry}, decoded from UTF-8. */
  static String key(byte[] entry) {
    int length = Varint.read(entry, 0);
    return new String(entry, Varint.size(length), length, StandardCharsets.UTF_8);
  }

  /**
   * Returns whether {@code entry} begins with {@code key}. Whatever bytes {@code entry} holds, this
   * never reads outside it: an optimistic read may see an array being filled.
   */
  static boolean hasKey(byte[] entry, byte[] key) {
    int at = Varint.size(key.length);
    if (entry.length < at + key.length) {
      return false;
    }
    int i = 0;
    for (int rest = key.length; (rest & ~0x7F) != 0; rest >>>= 7) {
      if (entry[i++] != (byte) ((rest & 0x7F) | 0x80)) {
        return false;
      }
    }
    return entry[i] == (byte) (key.length >>> (7 * i))
        && Arrays.equals(entry, at, at + key.length, key, 0, key.length);
  }

  /** Returns the entry of {@code key}, or {@code null}. */
  byte[] get(byte[] key) {
    int hash = hash(key);
    Stripe stripe = stripeOf(hash);
    long stamp = stripe.lock.tryOptimisticRead();
    if (stamp != 0) {
      byte[] found = stripe.probe(key, hash);
      if (stripe.lock.validate(stamp)) {
        return found;
      }
    }
    stamp = stripe.lock.readLock();
    try {
      return stripe.probe(key, hash);
    } finally {
      stripe.lock.unlockRead(stamp);
    }
  }

  /**
   * Replaces the entry of {@code key} (or {@code null}) by what {@code change} returns for it ({@code
   * null}: no entry; the argument itself: no change), atomically: {@code change} runs under the write
   * lock of the key's stripe (not reentrant), so it must be short, must not block and must not use
   * this table. If it throws, nothing changes. Returns the previous entry.
   *
   * @throws IllegalArgumentException if {@code change} returns an entry for another key
   */
  byte[] compute(byte[] key, UnaryOperator<byte[]> change) {
    int hash = hash(key);
    Stripe stripe = stripeOf(hash);
    long stamp = stripe.lock.writeLock();
    try {
      int slot = stripe.find(key, hash);
      byte[] old = slot < 0 ? null : stripe.entries[slot];
      byte[] next = change.apply(old);
      if (next == old) {
        return old;
      }
      if (next != null && !hasKey(next, key)) {
        throw new IllegalArgumentException("the new entry is for another key");
      }
      if (next == null) {
        stripe.removeAt(slot);
        size.decrementAndGet();
      } else if (old == null) {
        stripe.insertAt(-slot - 1, hash, next);
        size.incrementAndGet();
      } else {
        stripe.entries[slot] = next;
      }
      return old;
    } finally {
      stripe.lock.unlockWrite(stamp);
    }
  }

  /** Returns the number of entries. */
  int size() {
    return size.get();
  }

  /**
   * Returns an iterator over the entries, stripe by stripe, each stripe as it was at one moment (while
   * the iterator copied its slots): it never fails and never blocks writers for longer than that copy,
   * sees every entry present throughout, and may or may not see an entry added or removed meanwhile.
   */
  @Override
  public Iterator<byte[]> iterator() {
    return new Iterator<>() {
      private int nextStripe;
      private byte[][] slots = new byte[0][];
      private int at;

      @Override
      public boolean hasNext() {
        while (true) {
          for (; at < slots.length; at++) {
            if (slots[at] != null) {
              return true;
            }
          }
          if (nextStripe == stripes.length) {
            return false;
          }
          Stripe stripe = stripes[nextStripe++];
          long stamp = stripe.lock.readLock();
          try {
            slots = stripe.entries.clone();
          } finally {
            stripe.lock.unlockRead(stamp);
          }
          at = 0;
        }
      }

      @Override
      public byte[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return slots[at++];
      }
    };
  }

  private Stripe stripeOf(int hash) {
    return stripes[(hash >>> 24) & (stripes.length - 1)];
  }

  /** A hash of the key bytes, mixed (MurmurHash3's finalizer) so that low and high bits both vary. */
  private static int hash(byte[] key) {
    int h = 0;
    for (byte b : key) {
      h = 31 * h + b;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  /**
   * One stripe: an open-addressing table, every field written under the write lock of {@code lock}
   * and read under its read lock or optimistically ({@link #probe}).
   */
  private static final class Stripe {
    private final StampedLock lock = new StampedLock();
    private int[] hashes = new int[MIN_CAPACITY];
    private byte[][] entries = new byte[MIN_CAPACITY][];
    private int count;

    /**
     * Returns the entry of {@code key}, or {@code null}. Safe without the lock: it reads each array
     * field once, checks that the two agree, probes at most every slot once and never reads outside
     * an array, so a write that overlaps it can only make the answer wrong, which the caller's
     * validation then discards.
     */
    byte[] probe(byte[] key, int hash) {
      byte[][] slots = entries;
      int[] slotHashes = hashes;
      if (slots.length != slotHashes.length) {
        return null;
      }
      int mask = slots.length - 1;
      int slot = hash & mask;
      for (int probes = 0; probes < slots.length; probes++, slot = (slot + 1) & mask) {
        byte[] entry = slots[slot];
        if (entry == null) {
          return null;
        }
        if (slotHashes[slot] == hash && hasKey(entry, key)) {
          return entry;
        }
      }
      return null;
    }

    /**
     * Returns the slot holding {@code key}, or if none, {@code -slot - 1} for the empty slot where it
     * would go.
     */
    int find(byte[] key, int hash) {
      int mask = entries.length - 1;
      for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
        byte[] entry = entries[slot];
        if (entry == null) {
          return -slot - 1;
        }
        if (hashes[slot] == hash && hasKey(entry, key)) {
          return slot;
        }
      }
    }

    void insertAt(int slot, int hash, byte[] entry) {
      entries[slot] = entry;
      hashes[slot] = hash;
      count++;
      if (count > entries.length / 4 * 3) {
        resize(entries.length * 2);
      }
    }

    /** Empties {@code slot}, moving back the entries after it that probing would no longer find. */
    void removeAt(int slot) {
      int mask = entries.length - 1;
      entries[slot] = null;
      int hole = slot;
      for (int next = (hole + 1) & mask; entries[next] != null; next = (next + 1) & mask) {
        int home = hashes[next] & mask;
        // The entry at next stays if its home lies cyclically in (hole, next]; else it fills the hole.
        boolean stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
        if (!stays) {
          entries[hole] = entries[next];
          hashes[hole] = hashes[next];
          entries[next] = null;
          hole = next;
        }
      }
      count--;
      if (entries.length > MIN_CAPACITY && count < entries.length / 8) {
        resize(entries.length / 2);
      }
    }

    private void resize(int capacity) {
      int[] oldHashes = hashes;
      byte[][] oldEntries = entries;
      hashes = new int[capacity];
      entries = new byte[capacity][];
      int mask = capacity - 1;
      for (int i = 0; i < oldEntries.length; i++) {
        if (oldEntries[i] != null) {
          int slot = oldHashes[i] & mask;
          while (entries[slot] != null) {
            slot = (slot + 1) & mask;
          }
          entries[slot] = oldEntries[i];
          hashes[slot] = oldHashes[i];
        }
      }
    }
  }
}
