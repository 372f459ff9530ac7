package com.bacefook.store.replication;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Several commands (or their answers) in one Raft log entry, so that a group commits the writes of
 * concurrent clients with one entry, one append to each follower and one sync instead of one each.
 *
 * <p>The framing is one byte {@link #MARK}, the count, then each part as its length and its bytes
 * (big-endian ints). A single command travels unframed, as before batches existed: a {@link
 * ReplicatedState}'s own encoding must never start with {@link #MARK} (shardkv's commands start
 * with an int that is -1 or a length, so with 0xFF or a byte below 0x80; the shardmaster's with a
 * tag from 1 to 5).
 */
public final class CommandBatch {
  /** The first byte of a batch. */
  static final byte MARK = (byte) 0xB7;

  private CommandBatch() {}

  /** Returns whether {@code entry} is a batch rather than a single command. */
  public static boolean isBatch(byte[] entry) {
    return entry.length > 0 && entry[0] == MARK;
  }

  /** Returns how many bytes the framing of a batch of {@code parts} commands adds to them. */
  static long framingBytes(int parts) {
    return 1 + 4 + 4L * parts;
  }

  /** Frames {@code parts} (at least one) as one batch. */
  public static byte[] encode(List<byte[]> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a batch holds at least one command");
    }
    int size = Math.toIntExact(framingBytes(parts.size()));
    for (byte[] part : parts) {
      size += part.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(MARK).putInt(parts.size());
    for (byte[] part : parts) {
      out.putInt(part.length).put(part);
    }
    return out.array();
  }

  /**
   * Returns the parts of a batch that {@link #encode} framed.
   *
   * @throws IllegalArgumentException if {@code entry} is not a whole batch
   */
  public static List<byte[]> decode(byte[] entry) {
    if (!isBatch(entry) || entry.length < 5) {
      throw new IllegalArgumentException("not a batch of commands");
    }
    ByteBuffer in = ByteBuffer.wrap(entry, 1, entry.length - 1);
    int count = in.getInt();
    if (count < 1 || count > in.remaining() / 4) {
      throw new IllegalArgumentException("a batch of " + count + " commands in " + entry.length + " bytes");
    }
    List<byte[]> parts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = in.remaining() >= 4 ? in.getInt() : -1;
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("command " + (i + 1) + " of a batch is cut short");
      }
      byte[] part = new byte[length];
      in.get(part);
      parts.add(part);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes follow the last command of a batch");
    }
    return parts;
  }
}
