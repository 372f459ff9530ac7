package com.bacefook.store.shardkv;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Length-prefixed strings and byte strings, and stored entries made of them, as the replica group's
 * commands and snapshots hold them.
 */
final class Codec {
  /** The longest field: more than any key, value or list a request may hold. */
  static final int MAX_LENGTH = 16 * 1024 * 1024;

  private Codec() {}

  static void writeString(DataOutputStream out, String text) throws IOException {
    writeBytes(out, ByteString.copyFromUtf8(text));
  }

  static void writeBytes(DataOutputStream out, ByteString bytes) throws IOException {
    out.writeInt(bytes.size());
    bytes.writeTo(out);
  }

  static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_LENGTH) {
      throw new IOException("bad length " + length + ": expected 0 to " + MAX_LENGTH);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  /** Writes {@code value}'s bytes and its author ("" for none). */
  static void writeValue(DataOutputStream out, StoredValue value) throws IOException {
    writeBytes(out, value.valueBytes());
    writeString(out, value.author() == null ? "" : value.author());
  }

  /**
   * Reads what {@link #writeValue} wrote as the value of {@code key}: an entry for that key, which the
   * store keeps as it is.
   */
  static StoredValue readValue(String key, DataInputStream in) throws IOException {
    byte[] value = readBytes(in);
    String author = readString(in);
    return StoredValue.of(key, UnsafeByteOperations.unsafeWrap(value), author.isEmpty() ? null : author);
  }

  /** Writes how many {@code entries} there are, then each key and value, in their order. */
  static void writeEntries(DataOutputStream out, Collection<Map.Entry<String, StoredValue>> entries)
      throws IOException {
    out.writeInt(entries.size());
    for (Map.Entry<String, StoredValue> entry : entries) {
      writeString(out, entry.getKey());
      writeValue(out, entry.getValue());
    }
  }

  /** Reads what {@link #writeEntries} wrote, giving {@code each} every key and value in order. */
  static void readEntries(DataInputStream in, BiConsumer<String, StoredValue> each)
      throws IOException {
    for (int i = in.readInt(); i > 0; i--) {
      String key = readString(in);
      each.accept(key, readValue(key, in));
    }
  }
}
