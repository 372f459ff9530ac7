package com.bacefook.store.shardkv;

import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.ShardRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names and encodings of the handoff state a server keeps beside its keys, so a restarted server
 * resumes its handoffs: what it acts on ({@code ownership}), what it still has to send ({@code
 * outgoing/<n>/<target>}), what it has installed ({@code installed/<n>/<sender>}) and what it has
 * received but not installed yet ({@code stage/<n>/<sender>/<key>}).
 */
final class StateRecords {
  static final String OWNERSHIP = "ownership";
  static final String OUTGOING = "outgoing/";
  static final String INSTALLED = "installed/";
  static final String STAGE = "stage/";

  /** The saved ownership: the applied configuration's number, the ranges waiting, and early arrivals. */
  record SavedOwnership(long applied, List<RangeTable.Handoff> pending, Map<Long, IdSet> early) {}

  /** A name split into its configuration number, server and (for staged keys) key. */
  record Name(long configNumber, String server, String key) {}

  private StateRecords() {}

  static String outgoing(long configNumber, String target) {
    return OUTGOING + configNumber + "/" + target;
  }

  static String installed(long configNumber, String sender) {
    return INSTALLED + configNumber + "/" + sender;
  }

  static String staged(long configNumber, String sender, String key) {
    return STAGE + configNumber + "/" + sender + "/" + key;
  }

  /** Parses a name made by {@link #outgoing}, {@link #installed} or {@link #staged}. */
  static Name parse(String prefix, String name) {
    String rest = name.substring(prefix.length());
    int slash = rest.indexOf('/');
    long number = Long.parseLong(rest.substring(0, slash));
    String tail = rest.substring(slash + 1);
    int keyStart = tail.indexOf('/');
    if (keyStart < 0) {
      return new Name(number, tail, null);
    }
    return new Name(number, tail.substring(0, keyStart), tail.substring(keyStart + 1));
  }

  /** Returns the handoffs still to send, from the {@code outgoing/} records in {@code state}. */
  static List<RangeTable.Handoff> outgoing(Map<String, byte[]> state) {
    List<RangeTable.Handoff> handoffs = new ArrayList<>();
    state.forEach(
        (record, ids) -> {
          if (record.startsWith(OUTGOING)) {
            Name task = parse(OUTGOING, record);
            handoffs.add(new RangeTable.Handoff(task.configNumber(), task.server(), decodeIds(ids)));
          }
        });
    return handoffs;
  }

  static byte[] encode(IdSet ids) {
    return write(out -> writeIds(out, ids));
  }

  static IdSet decodeIds(byte[] bytes) {
    return read(bytes, StateRecords::readIds);
  }

  static byte[] encode(SavedOwnership saved) {
    return write(
        out -> {
          out.writeLong(saved.applied());
          out.writeInt(saved.pending().size());
          for (RangeTable.Handoff p : saved.pending()) {
            out.writeLong(p.configNumber());
            out.writeUTF(p.peer());
            writeIds(out, p.ids());
          }
          out.writeInt(saved.early().size());
          for (Map.Entry<Long, IdSet> e : saved.early().entrySet()) {
            out.writeLong(e.getKey());
            writeIds(out, e.getValue());
          }
        });
  }

  static SavedOwnership decodeOwnership(byte[] bytes) {
    return read(
        bytes,
        in -> {
          long applied = in.readLong();
          List<RangeTable.Handoff> pending = new ArrayList<>();
          for (int i = in.readInt(); i > 0; i--) {
            long number = in.readLong();
            String from = in.readUTF();
            pending.add(new RangeTable.Handoff(number, from, readIds(in)));
          }
          Map<Long, IdSet> early = new LinkedHashMap<>();
          for (int i = in.readInt(); i > 0; i--) {
            long number = in.readLong();
            early.put(number, readIds(in));
          }
          return new SavedOwnership(applied, pending, early);
        });
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return reader.read(in);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt handoff state in the data directory", e);
    }
  }

  private static void writeIds(DataOutputStream out, IdSet ids) throws IOException {
    List<ShardRange> ranges = ids.ranges();
    out.writeInt(ranges.size());
    for (ShardRange range : ranges) {
      out.writeShort(range.lower());
      out.writeShort(range.upper());
    }
  }

  private static IdSet readIds(DataInputStream in) throws IOException {
    List<ShardRange> ranges = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      ranges.add(new ShardRange(in.readShort(), in.readShort()));
    }
    return IdSet.of(ranges);
  }
}
