package com.bacefook.store.shardmaster;

import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ShardRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a replicated shardmaster's log: a configuration change, or a member announcing the
 * address its clients reach it at. Encoded as a tag byte and the fields (a Join listing a replica
 * group has a tag of its own, so that entries written before groups were listed still read).
 */
sealed interface ShardmasterCommand {
  /**
   * Adds {@code server}, or (with {@code replaces} not empty) renames that entry to it; listing
   * {@code group} if given.
   */
  record Join(String server, String replaces, Optional<ReplicaSet> group)
      implements ShardmasterCommand {}

  /** Removes all of {@code servers}, or none. */
  record Leave(List<String> servers) implements ShardmasterCommand {
    /** Copies the list. */
    public Leave {
      servers = List.copyOf(servers);
    }
  }

  /** Gives exactly {@code range} to {@code server}. */
  record Move(String server, ShardRange range) implements ShardmasterCommand {}

  /** Member {@code member} (its Raft ID) serves the shardmaster's clients at {@code address}. */
  record Announce(String member, String address) implements ShardmasterCommand {}

  /** Returns this command as a log entry. */
  default byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (this instanceof Join j && j.group().isEmpty()) {
        out.writeByte(1);
        out.writeUTF(j.server());
        out.writeUTF(j.replaces());
      } else if (this instanceof Join j) {
        out.writeByte(5);
        out.writeUTF(j.server());
        out.writeUTF(j.replaces());
        out.writeUTF(j.group().get().name());
        out.writeInt(j.group().get().replicas().size());
        for (String replica : j.group().get().replicas()) {
          out.writeUTF(replica);
        }
      } else if (this instanceof Leave l) {
        out.writeByte(2);
        out.writeInt(l.servers().size());
        for (String server : l.servers()) {
          out.writeUTF(server);
        }
      } else if (this instanceof Move m) {
        out.writeByte(3);
        out.writeUTF(m.server());
        out.writeInt(m.range().lower());
        out.writeInt(m.range().upper());
      } else if (this instanceof Announce a) {
        out.writeByte(4);
        out.writeUTF(a.member());
        out.writeUTF(a.address());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a log entry that {@link #encode} wrote.
   *
   * @throws IllegalArgumentException if it is not one
   */
  static ShardmasterCommand decode(byte[] entry) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
      return switch (in.readByte()) {
        case 1 -> new Join(in.readUTF(), in.readUTF(), Optional.empty());
        case 5 -> {
          String server = in.readUTF();
          String replaces = in.readUTF();
          String name = in.readUTF();
          int count = in.readInt();
          List<String> replicas = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            replicas.add(in.readUTF());
          }
          yield new Join(server, replaces, Optional.of(new ReplicaSet(name, replicas)));
        }
        case 2 -> {
          int count = in.readInt();
          List<String> servers = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            servers.add(in.readUTF());
          }
          yield new Leave(servers);
        }
        case 3 -> new Move(in.readUTF(), new ShardRange(in.readInt(), in.readInt()));
        case 4 -> new Announce(in.readUTF(), in.readUTF());
        default -> throw new IllegalArgumentException("unknown shardmaster log entry");
      };
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated shardmaster log entry", e);
    }
  }
}
