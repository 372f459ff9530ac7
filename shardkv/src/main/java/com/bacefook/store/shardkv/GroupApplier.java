package com.bacefook.store.shardkv;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.replication.ReplicatedState;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.sharding.SocialKeys;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A replica group's state and how commands change it: the keys ({@link KeyValueStore}), the state of
 * each range ({@link Ownership}, stepped only by {@link GroupCommand.ConfigApplied}), the latest
 * answer to each client (so a retried request is applied once, and answered as the first time), the
 * client address of each member, and the keys of incoming handoffs staged chunk by chunk until their
 * install. Every member applies the same commands in the same order.
 */
final class GroupApplier implements ReplicatedState {
  /**
   * Version 3 adds the staged handoff chunks; version 2 keeps every unacknowledged answer per client;
   * version 1 kept the latest only.
   */
  private static final int SNAPSHOT_VERSION = 3;
  private static final IdSet ALL_IDS = IdSet.of(List.of(ShardRange.ALL));
  private final KeyValueStore store;
  private final Ownership ownership;
  /** The answers kept per client (the same on every member, and kept in snapshots). Guarded by this. */
  private final ClientSessions sessions = new ClientSessions();
  /** Member ID to the address it serves clients at. */
  private final Map<String, String> members = new ConcurrentHashMap<>();
  /**
   * The keys staged by {@link GroupCommand.HandoffChunk}s, by handoff, until its {@link
   * GroupCommand.HandoffInstalled}, or until the group no longer waits for it (given up on after
   * the handoff timeout; see {@link #dropUnawaitedStaging}). Guarded by this.
   */
  private final Map<Staged, Map<String, StoredValue>> staged = new HashMap<>();

  /** A handoff whose keys are staged: from {@code from} for configuration {@code configNumber}. */
  private record Staged(long configNumber, String from) {}

  /**
   * Creates the state of a group keeping its keys in {@code store} (empty, in memory) and its ranges'
   * states in {@code ownership} (named after the group).
   */
  GroupApplier(KeyValueStore store, Ownership ownership) {
    this.store = store;
    this.ownership = ownership;
  }

  @Override
  public synchronized byte[] apply(byte[] bytes) {
    GroupCommand.Request request = GroupCommand.decode(bytes);
    String client = request.clientId();
    if (client.isEmpty()) {
      return execute(request.command()).encode();
    }
    ClientSessions.Seen seen = sessions.see(client, request.seq(), request.acked());
    if (seen instanceof ClientSessions.Answered answered) {
      return answered.reply();
    }
    if (seen instanceof ClientSessions.Forgotten forgotten) {
      return new GroupReply(
              Status.Code.FAILED_PRECONDITION,
              "request " + request.seq() + " of client " + Quote.of(client)
                  + " was answered already (the client holds the answers below " + forgotten.acked()
                  + "); not applied again")
          .encode();
    }
    byte[] reply = execute(request.command()).encode();
    sessions.record(client, request.seq(), request.acked(), reply);
    return reply;
  }

  private GroupReply execute(GroupCommand command) {
    try {
      // Key commands check ownership again as applied: the range may have moved since the leader
      // checked it, and every member's range table says the same here.
      if (command instanceof GroupCommand.Put put) {
        ownership.serve(put.key(), id -> store.put(put.key(), put.value()));
      } else if (command instanceof GroupCommand.Append append) {
        ownership.serve(
            append.key(),
            id -> {
              store.append(append.key(), append.data());
              return null;
            });
      } else if (command instanceof GroupCommand.Delete delete) {
        if (ownership.serve(delete.key(), id -> store.remove(delete.key())) == null) {
          return GroupReply.of(ShardkvService.notFound(delete.key()));
        }
      } else if (command instanceof GroupCommand.UpdateList update) {
        ownership.serve(
            update.owner(),
            id -> {
              store.updateList(update.key(), update.item(), update.remove());
              return null;
            });
      } else if (command instanceof GroupCommand.Announce announce) {
        members.put(announce.memberId(), announce.address());
      } else if (command instanceof GroupCommand.ConfigApplied applied) {
        GroupReply reply = configurationApplied(applied.config(), applied.now());
        dropUnawaitedStaging();
        return reply;
      } else if (command instanceof GroupCommand.Expire expire) {
        ownership.expire(Duration.ofMillis(expire.timeoutMillis()), expire.now());
        dropUnawaitedStaging();
      } else if (command instanceof GroupCommand.HandoffChunk chunk) {
        staged
            .computeIfAbsent(new Staged(chunk.configNumber(), chunk.from()), s -> new HashMap<>())
            .putAll(chunk.keys());
        ownership.progress(chunk.configNumber(), chunk.from(), chunk.now());
      } else if (command instanceof GroupCommand.HandoffInstalled installed) {
        return handoffInstalled(installed);
      } else if (command instanceof GroupCommand.Progress progress) {
        ownership.progress(progress.configNumber(), progress.from(), progress.now());
      } else if (command instanceof GroupCommand.HandoffConfirmed confirmed) {
        // The IDs were not served while being sent, so no client changed their keys meanwhile.
        store.removeAll(confirmed.ids());
        ownership.confirmed(confirmed.configNumber(), confirmed.target(), confirmed.ids());
      }
      return GroupReply.OK;
    } catch (StatusRuntimeException e) {
      return GroupReply.of(e);
    } catch (IllegalArgumentException e) {
      return new GroupReply(Status.Code.INVALID_ARGUMENT, e.getMessage());
    }
  }

  /**
   * Installs the keys of a handoff, those staged and the last ones, if they are exactly the keys
   * handed over; else refuses, installing nothing. Either way the staged keys are dropped.
   */
  private GroupReply handoffInstalled(GroupCommand.HandoffInstalled installed) {
    Map<String, StoredValue> keys =
        new HashMap<>(
            Optional.ofNullable(staged.remove(new Staged(installed.configNumber(), installed.from())))
                .orElse(Map.of()));
    keys.putAll(installed.keys());
    if (!installed.completes(keys)) {
      return new GroupReply(
          Status.Code.FAILED_PRECONDITION,
          "the group staged " + keys.size() + " keys of " + installed.ids() + " from "
              + Quote.of(installed.from()) + " for configuration #" + installed.configNumber()
              + ", not the " + installed.keyCount() + " sent; send them again");
    }
    ownership.install(
        installed.configNumber(),
        installed.from(),
        installed.ids(),
        served -> HandoffReceiver.installKeys(store, installed.ids(), keys, served),
        new Changes());
    return GroupReply.OK;
  }

  /**
   * Drops the keys staged for handoffs the group no longer waits for: given up on (the sender serves
   * the range again, and a later handoff of it starts over) or of an older configuration. Keys
   * staged for a configuration the group has not applied yet (a handoff that arrives early) stay.
   * Every member drops the same, as it applies the same command.
   */
  private void dropUnawaitedStaging() {
    Set<Staged> awaited = new HashSet<>();
    ownership.waiting().forEach(h -> awaited.add(new Staged(h.configNumber(), h.peer())));
    long applied = ownership.applied().number();
    staged.keySet().removeIf(s -> s.configNumber() <= applied && !awaited.contains(s));
  }

  /** Returns how many keys are staged for handoffs not yet installed. */
  synchronized int stagedKeys() {
    return staged.values().stream().mapToInt(Map::size).sum();
  }

  private GroupReply configurationApplied(Configuration next, long now) {
    long acting = ownership.applied().number();
    if (next.number() != acting + 1 || !ownership.waiting().isEmpty()) {
      return new GroupReply(
          Status.Code.FAILED_PRECONDITION,
          "the group acts on configuration #" + acting + (ownership.waiting().isEmpty() ? "" : ", waiting for "
              + ownership.waiting()) + ", and cannot apply #" + next.number());
    }
    ownership.advance(next, now);
    return GroupReply.OK;
  }

  /** Returns the addresses the group's members announced, by member ID. */
  Map<String, String> memberAddresses() {
    return Map.copyOf(members);
  }

  /** Returns the address member {@code memberId} serves clients at, once it announced it. */
  Optional<String> addressOf(String memberId) {
    return Optional.ofNullable(members.get(memberId));
  }

  /** Returns how many clients have answers kept. */
  synchronized int clientsKept() {
    return sessions.clients();
  }

  @Override
  public synchronized void writeSnapshot(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(stream);
    out.writeInt(SNAPSHOT_VERSION);
    // Users first, in first-stored order, so that all_users keeps its order when read back.
    List<String> users =
        List.of(store.allUsers().split(",")).stream().filter(u -> !u.isEmpty()).toList();
    List<Map.Entry<String, StoredValue>> others =
        store.entriesIn(ALL_IDS).stream().filter(e -> !SocialKeys.isUser(e.getKey())).toList();
    List<Map.Entry<String, StoredValue>> userEntries =
        users.stream()
            .flatMap(u -> store.get(u).map(v -> Map.entry(u, v)).stream())
            .toList();
    List<Map.Entry<String, StoredValue>> entries = new ArrayList<>(userEntries);
    entries.addAll(others);
    Codec.writeEntries(out, entries);
    sessions.write(out);
    out.writeInt(members.size());
    for (Map.Entry<String, String> member : members.entrySet()) {
      Codec.writeString(out, member.getKey());
      Codec.writeString(out, member.getValue());
    }
    RangeTable table = ownership.table();
    Codec.writeBytes(out, ProtoConfigurations.toProto(table.applied()).toByteString());
    writeOwnership(out, new StateRecords.SavedOwnership(0, table.waiting(), table.early()));
    writeOwnership(out, new StateRecords.SavedOwnership(0, table.sending(), Map.of()));
    out.writeInt(staged.size());
    for (Map.Entry<Staged, Map<String, StoredValue>> handoff : staged.entrySet()) {
      out.writeLong(handoff.getKey().configNumber());
      Codec.writeString(out, handoff.getKey().from());
      Codec.writeEntries(out, handoff.getValue().entrySet());
    }
    out.flush();
  }

  @Override
  public synchronized void readSnapshot(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int version = in.readInt();
    if (version < 1 || version > SNAPSHOT_VERSION) {
      throw new IOException(
          "snapshot version " + version + " is not one this server reads (1 to " + SNAPSHOT_VERSION
              + ")");
    }
    store.removeAll(ALL_IDS);
    Codec.readEntries(in, (key, value) -> store.install(key, value, false));
    if (version == 1) {
      sessions.readLatestOnly(in);
    } else {
      sessions.read(in);
    }
    members.clear();
    int memberCount = in.readInt();
    for (int i = 0; i < memberCount; i++) {
      members.put(Codec.readString(in), Codec.readString(in));
    }
    Configuration applied =
        ProtoConfigurations.fromProto(QueryResponse.parseFrom(Codec.readBytes(in)));
    StateRecords.SavedOwnership waiting = StateRecords.decodeOwnership(Codec.readBytes(in));
    StateRecords.SavedOwnership sending = StateRecords.decodeOwnership(Codec.readBytes(in));
    ownership.reset(applied, waiting.pending(), sending.pending(), waiting.early());
    staged.clear();
    for (int handoffs = version < 3 ? 0 : in.readInt(); handoffs > 0; handoffs--) {
      Staged handoff = new Staged(in.readLong(), Codec.readString(in));
      Map<String, StoredValue> keys = new HashMap<>();
      Codec.readEntries(in, keys::put);
      staged.put(handoff, keys);
    }
  }

  /** Writes handoffs (and early arrivals) in the encoding a server keeps its ownership in. */
  private static void writeOwnership(DataOutputStream out, StateRecords.SavedOwnership saved)
      throws IOException {
    Codec.writeBytes(out, ByteString.copyFrom(StateRecords.encode(saved)));
  }
}
