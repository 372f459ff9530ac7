package com.bacefook.store.shardkv;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stored value and its metadata: for a post, the user who wrote it ({@code null} when unknown or not
 * a post). Metadata travels with the value when the key moves to another server.
 *
 * <p>A value is a view of one {@link EntryTable} entry: after the key, the author's UTF-8 length plus
 * one as a {@link Varint} (0: no author), the author's UTF-8 bytes, then the value's UTF-8 bytes to the
 * end. A value read from the store wraps the very array the store holds (no copy); a value made from
 * a request is an entry of its own, for its key or for the empty key, which the store takes as it is
 * or copies once under the right key. The bytes are never changed, so they are handed to protobuf
 * without a copy.
 */
final class StoredValue {
  private static final byte[] NO_KEY = new byte[0];

  private final byte[] entry;
  /** Where the author's length is, right after the key. */
  private final int authorStart;
  private final int valueStart;

  private StoredValue(byte[] entry) {
    this.entry = entry;
    this.authorStart = EntryTable.keyEnd(entry);
    int authorField = Varint.read(entry, authorStart);
    this.valueStart = authorStart + Varint.size(authorField) + Math.max(authorField - 1, 0);
  }

  /** A value given as text. */
  StoredValue(String value, String author) {
    this(build(NO_KEY, author, UnsafeByteOperations.unsafeWrap(utf8(value))));
  }

  /** A value given as the UTF-8 bytes of a request's string field (copied). */
  static StoredValue of(ByteString utf8, String author) {
    return new StoredValue(build(NO_KEY, author, utf8));
  }

  /**
   * A value for {@code key} given as the UTF-8 bytes of a request's string field (copied once): the
   * store keeps this very entry.
   */
  static StoredValue of(String key, ByteString utf8, String author) {
    return new StoredValue(build(utf8(key), author, utf8));
  }

  /** The value that {@code entry}, an entry of the store, holds: a view, not a copy. */
  static StoredValue ofEntry(byte[] entry) {
    return new StoredValue(entry);
  }

  private static byte[] build(byte[] key, String author, ByteString value) {
    byte[] authorBytes = author == null ? NO_KEY : utf8(author);
    int authorField = author == null ? 0 : authorBytes.length + 1;
    byte[] entry =
        EntryTable.newEntry(key, Varint.size(authorField) + authorBytes.length + value.size());
    int at = Varint.write(entry, EntryTable.keyEnd(entry), authorField);
    System.arraycopy(authorBytes, 0, entry, at, authorBytes.length);
    value.copyTo(entry, at + authorBytes.length);
    return entry;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Returns this value as an entry for {@code key}: the entry it views if that is for {@code key},
   * else a copy under {@code key}.
   */
  byte[] entryFor(byte[] key) {
    if (EntryTable.hasKey(entry, key)) {
      return entry;
    }
    byte[] copy = EntryTable.newEntry(key, entry.length - authorStart);
    System.arraycopy(entry, authorStart, copy, EntryTable.keyEnd(copy), entry.length - authorStart);
    return copy;
  }

  /** Returns whether this and {@code other} view the same entry (not merely equal ones). */
  boolean sameEntry(StoredValue other) {
    return other != null && entry == other.entry;
  }

  /** Returns the value as text (decoded on each call). */
  String value() {
    return new String(entry, valueStart, byteLength(), StandardCharsets.UTF_8);
  }

  /** Returns the value's UTF-8 bytes, shared without a copy: callers must not change them. */
  ByteString valueBytes() {
    return UnsafeByteOperations.unsafeWrap(entry, valueStart, byteLength());
  }

  /** Returns the length of the value in UTF-8 bytes. */
  int byteLength() {
    return entry.length - valueStart;
  }

  /** Returns the author, or {@code null} (decoded on each call). */
  String author() {
    int authorField = Varint.read(entry, authorStart);
    if (authorField == 0) {
      return null;
    }
    return new String(
        entry, authorStart + Varint.size(authorField), authorField - 1, StandardCharsets.UTF_8);
  }

  /** Returns this value with {@code more} (UTF-8) appended, for the same key and author. */
  StoredValue append(ByteString more) {
    byte[] joined = Arrays.copyOf(entry, entry.length + more.size());
    more.copyTo(joined, entry.length);
    return new StoredValue(joined);
  }

  /** Returns {@code newValue} for the same key and author. */
  StoredValue withValue(String newValue) {
    byte[] utf8 = utf8(newValue);
    byte[] changed = Arrays.copyOf(entry, valueStart + utf8.length);
    System.arraycopy(utf8, 0, changed, valueStart, utf8.length);
    return new StoredValue(changed);
  }

  /** Equal values have the same author and value, whatever key their entries are for. */
  @Override
  public boolean equals(Object o) {
    return o instanceof StoredValue other
        && Arrays.equals(entry, authorStart, entry.length, other.entry, other.authorStart, other.entry.length);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = authorStart; i < entry.length; i++) {
      h = 31 * h + entry[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return "StoredValue[value=" + value() + ", author=" + author() + "]";
  }
}
