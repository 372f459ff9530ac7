package com.bacefook.store.shardkv;

import com.google.protobuf.ByteString;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Length-prefixed strings and byte strings, as the replica group's commands and snapshots hold them. */
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
}
