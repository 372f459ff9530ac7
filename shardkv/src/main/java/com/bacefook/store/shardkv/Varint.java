package com.bacefook.store.shardkv;

/**
 * Unsigned variable-length integers in byte arrays: seven bits a byte, low bits first, the top bit set
 * on every byte but the last (as protobuf writes them). A length under 128 takes one byte.
 */
final class Varint {
  private Varint() {}

  /** Returns how many bytes {@code value} (not negative) takes. */
  static int size(int value) {
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  /** Writes {@code value} (not negative) at {@code at} and returns the index after it. */
  static int write(byte[] to, int at, int value) {
    while ((value & ~0x7F) != 0) {
      to[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    to[at++] = (byte) value;
    return at;
  }

  /** Reads the value written at {@code at}. */
  static int read(byte[] from, int at) {
    int value = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = from[at++];
      value |= (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
  }
}
