package com.bacefook.store.shardkv;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stored value and its metadata: for a post, the user who wrote it ({@code null} when unknown or not
 * a post). Metadata travels with the value when the key moves to another server.
 *
 * <p>The value is kept as its UTF-8 bytes, one array per key (a {@code String} would add an object
 * and, for non-Latin-1 text, double the size); the bytes are never changed, so they are handed to
 * protobuf without a copy.
 */
final class StoredValue {
  private final byte[] utf8;
  private final String author;

  private StoredValue(byte[] utf8, String author) {
    this.utf8 = utf8;
    this.author = author;
  }

  /** A value given as text. */
  StoredValue(String value, String author) {
    this(value.getBytes(StandardCharsets.UTF_8), author);
  }

  /** A value given as the UTF-8 bytes of a request's string field. */
  static StoredValue of(ByteString utf8, String author) {
    return new StoredValue(utf8.toByteArray(), author);
  }

  /** A value given as UTF-8 bytes, which the caller gives up (they are kept, not copied). */
  static StoredValue ofOwned(byte[] utf8, String author) {
    return new StoredValue(utf8, author);
  }

  /** Returns the value as text (decoded on each call). */
  String value() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /** Returns the value's UTF-8 bytes, shared without a copy: callers must not change them. */
  ByteString valueBytes() {
    return UnsafeByteOperations.unsafeWrap(utf8);
  }

  /** Returns the length of the value in UTF-8 bytes. */
  int byteLength() {
    return utf8.length;
  }

  /** Returns the author, or {@code null}. */
  String author() {
    return author;
  }

  /** Returns this value with {@code utf8} appended, with the same author. */
  StoredValue append(ByteString more) {
    byte[] joined = Arrays.copyOf(utf8, utf8.length + more.size());
    more.copyTo(joined, utf8.length);
    return new StoredValue(joined, author);
  }

  StoredValue withValue(String newValue) {
    return new StoredValue(newValue, author);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredValue other
        && Arrays.equals(utf8, other.utf8)
        && Objects.equals(author, other.author);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(utf8) + Objects.hashCode(author);
  }

  @Override
  public String toString() {
    return "StoredValue[value=" + value() + ", author=" + author + "]";
  }
}
