package com.bacefook.store.shardkv;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.google.common.base.Utf8;
import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One change to a replica group's state, as its log holds it: every member applies the same commands
 * in the same order ({@link GroupApplier}). Encoded as a tag byte and the fields; {@link #decode}
 * rejects anything else.
 */
sealed interface GroupCommand {
  /** Stores {@code value} under {@code key}, replacing any previous one. */
  record Put(String key, StoredValue value) implements GroupCommand {}

  /** Appends {@code data} (UTF-8) to the value of {@code key}, creating it if missing. */
  record Append(String key, ByteString data) implements GroupCommand {}

  /** Removes {@code key}; answered {@code NOT_FOUND} if it had no value. */
  record Delete(String key) implements GroupCommand {}

  /**
   * Adds {@code item} to the list under {@code key}, or with {@code remove} takes it out, if the
   * group serves {@code owner} (the key whose owner keeps the list: the author of a post list).
   */
  record UpdateList(String owner, String key, String item, boolean remove) implements GroupCommand {}

  /** Member {@code memberId} serves clients at {@code address}: followers name it when it leads. */
  record Announce(String memberId, String address) implements GroupCommand {}

  /**
   * Transition "configuration applied" ({@link Ownership#advance}): the leader, following the
   * shardmaster, proposes each configuration in turn, as the group reads it (its members' addresses
   * named by the group's name), at time {@code now} on its clock, and every member steps its range
   * table alike.
   */
  record ConfigApplied(Configuration config, long now) implements GroupCommand {}

  /**
   * Transition "timeout" ({@link Ownership#expire}): handoffs waited for without progress for {@code
   * timeoutMillis} before {@code now} (the leader's clock) are given up on, on every member alike.
   */
  record Expire(long now, long timeoutMillis) implements GroupCommand {}

  /**
   * Transition "handoff confirmed": {@code target} acknowledged the handoff of {@code ids} in
   * configuration {@code configNumber}; every member deletes those keys.
   */
  record HandoffConfirmed(long configNumber, String target, IdSet ids) implements GroupCommand {}

  /**
   * Stages {@code keys} of the handoff from {@code from} for configuration {@code configNumber} on
   * every member, not yet served, until its {@link HandoffInstalled}: a handoff too large for one log
   * entry arrives in several. Staging a key again replaces it (a resent chunk changes nothing). Its
   * arrival at {@code now} (the leader's clock) restarts the handoff's wait, like {@link Progress}.
   */
  record HandoffChunk(long configNumber, String from, long now, Map<String, StoredValue> keys)
      implements GroupCommand {
    /** Copies {@code keys}. */
    public HandoffChunk {
      keys = Map.copyOf(keys);
    }
  }

  /**
   * Transition "handoff installed": the last {@code keys} of {@code ids} that {@code from} handed
   * over for configuration {@code configNumber}, which with those staged by {@link HandoffChunk}s
   * before must be exactly {@code keyCount} keys of {@code ids} with {@link HandoffDigest} {@code
   * digest}; then they all go in every member's store. Otherwise nothing is installed and the staged
   * keys are dropped (the sender sends them all again).
   */
  record HandoffInstalled(
      long configNumber, String from, IdSet ids, Map<String, StoredValue> keys, int keyCount, long digest)
      implements GroupCommand {
    /** Copies {@code keys}. */
    public HandoffInstalled {
      keys = Map.copyOf(keys);
    }

    /** Returns whether {@code all}, the staged keys with these, are exactly the keys handed over. */
    boolean completes(Map<String, StoredValue> all) {
      return all.size() == keyCount
          && all.keySet().stream().allMatch(key -> ids.contains(KeyId.of(key)))
          && HandoffDigest.of(all.entrySet()) == digest;
    }
  }

  /** Keys of the handoff from {@code from} for {@code configNumber} arrived at {@code now}. */
  record Progress(long configNumber, String from, long now) implements GroupCommand {}

  /**
   * Returns the bytes of this command as request {@code seq} of client {@code clientId} ("" for
   * none), which holds the answers to all its requests below {@code acked}.
   */
  default byte[] encode(String clientId, long seq, long acked) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(WITH_ACKED);
      Codec.writeString(out, clientId);
      out.writeLong(seq);
      out.writeLong(acked);
      if (this instanceof Put put) {
        out.writeByte(1);
        Codec.writeString(out, put.key());
        Codec.writeValue(out, put.value());
      } else if (this instanceof Append append) {
        out.writeByte(2);
        Codec.writeString(out, append.key());
        Codec.writeBytes(out, append.data());
      } else if (this instanceof Delete delete) {
        out.writeByte(3);
        Codec.writeString(out, delete.key());
      } else if (this instanceof UpdateList update) {
        out.writeByte(4);
        Codec.writeString(out, update.owner());
        Codec.writeString(out, update.key());
        Codec.writeString(out, update.item());
        out.writeBoolean(update.remove());
      } else if (this instanceof Announce announce) {
        out.writeByte(5);
        Codec.writeString(out, announce.memberId());
        Codec.writeString(out, announce.address());
      } else if (this instanceof ConfigApplied applied) {
        out.writeByte(6);
        Codec.writeBytes(out, ProtoConfigurations.toProto(applied.config()).toByteString());
        out.writeLong(applied.now());
      } else if (this instanceof Expire expire) {
        out.writeByte(7);
        out.writeLong(expire.now());
        out.writeLong(expire.timeoutMillis());
      } else if (this instanceof HandoffConfirmed confirmed) {
        out.writeByte(8);
        out.writeLong(confirmed.configNumber());
        Codec.writeString(out, confirmed.target());
        Codec.writeBytes(out, ByteString.copyFrom(StateRecords.encode(confirmed.ids())));
      } else if (this instanceof HandoffInstalled installed) {
        out.writeByte(12);
        out.writeLong(installed.configNumber());
        Codec.writeString(out, installed.from());
        Codec.writeBytes(out, ByteString.copyFrom(StateRecords.encode(installed.ids())));
        writeKeys(out, installed.keys());
        out.writeInt(installed.keyCount());
        out.writeLong(installed.digest());
      } else if (this instanceof Progress progress) {
        out.writeByte(10);
        out.writeLong(progress.configNumber());
        Codec.writeString(out, progress.from());
        out.writeLong(progress.now());
      } else if (this instanceof HandoffChunk chunk) {
        out.writeByte(11);
        out.writeLong(chunk.configNumber());
        Codec.writeString(out, chunk.from());
        out.writeLong(chunk.now());
        writeKeys(out, chunk.keys());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A command with the client request it carries out.
   *
   * @param clientId the client that sent it, or "" if it did not say (then it is never deduplicated)
   * @param seq the client's sequence number of the request
   * @param acked the client holds the answers to all its requests numbered below it (0 if it did not say)
   * @param command what to apply
   */
  record Request(String clientId, long seq, long acked, GroupCommand command) {}

  /**
   * Leads an encoding that carries the client's acknowledged mark; the first encoding began with the
   * client ID's length instead, never negative, and is still read (with no mark).
   */
  int WITH_ACKED = -1;

  /**
   * Returns how many bytes {@link #encode} takes for one handed-over key and its value among the keys
   * of a {@link HandoffChunk} or {@link HandoffInstalled}.
   */
  static long encodedBytes(String key, StoredValue value) {
    return 3L * Integer.BYTES
        + Utf8.encodedLength(key)
        + value.valueBytes().size()
        + Utf8.encodedLength(value.author() == null ? "" : value.author());
  }

  /** Writes {@code keys} in key order (the same bytes on every member). */
  private static void writeKeys(DataOutputStream out, Map<String, StoredValue> keys)
      throws IOException {
    Codec.writeEntries(out, new TreeMap<>(keys).entrySet());
  }

  /** Reads what {@link #writeKeys} wrote. */
  private static Map<String, StoredValue> readKeys(DataInputStream in) throws IOException {
    Map<String, StoredValue> keys = new HashMap<>();
    Codec.readEntries(in, keys::put);
    return keys;
  }

  /**
   * Decodes what {@link #encode} made.
   *
   * @throws IllegalArgumentException if {@code bytes} are not a command
   */
  static Request decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int lead = in.readInt();
      String clientId;
      if (lead == WITH_ACKED) {
        clientId = Codec.readString(in);
      } else {
        byte[] id = new byte[lead];
        in.readFully(id);
        clientId = new String(id, StandardCharsets.UTF_8);
      }
      long seq = in.readLong();
      long acked = lead == WITH_ACKED ? in.readLong() : 0;
      int tag = in.readByte();
      GroupCommand command =
          switch (tag) {
            case 1 -> {
              String key = Codec.readString(in);
              yield new Put(key, Codec.readValue(key, in));
            }
            case 2 -> new Append(Codec.readString(in), ByteString.copyFrom(Codec.readBytes(in)));
            case 3 -> new Delete(Codec.readString(in));
            case 4 ->
                new UpdateList(
                    Codec.readString(in), Codec.readString(in), Codec.readString(in), in.readBoolean());
            case 5 -> new Announce(Codec.readString(in), Codec.readString(in));
            case 6 ->
                new ConfigApplied(
                    ProtoConfigurations.fromProto(QueryResponse.parseFrom(Codec.readBytes(in))),
                    in.readLong());
            case 7 -> new Expire(in.readLong(), in.readLong());
            case 8 ->
                new HandoffConfirmed(
                    in.readLong(), Codec.readString(in), StateRecords.decodeIds(Codec.readBytes(in)));
            case 9, 12 -> {
              long configNumber = in.readLong();
              String from = Codec.readString(in);
              IdSet ids = StateRecords.decodeIds(Codec.readBytes(in));
              Map<String, StoredValue> keys = readKeys(in);
              // Tag 9, written before chunked installs, held every key of the handoff.
              yield tag == 9
                  ? new HandoffInstalled(
                      configNumber, from, ids, keys, keys.size(), HandoffDigest.of(keys.entrySet()))
                  : new HandoffInstalled(configNumber, from, ids, keys, in.readInt(), in.readLong());
            }
            case 10 -> new Progress(in.readLong(), Codec.readString(in), in.readLong());
            case 11 -> new HandoffChunk(in.readLong(), Codec.readString(in), in.readLong(), readKeys(in));
            default -> throw new IllegalArgumentException("unknown group command tag " + tag);
          };
      if (in.available() > 0) {
        throw new IllegalArgumentException(in.available() + " bytes after a group command");
      }
      return new Request(clientId, seq, acked, command);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated group command: " + e, e);
    }
  }
}
