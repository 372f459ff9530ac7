package com.bacefook.store.shardkv;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.proto.ReplicaStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.rpc.Answers;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.rpc.RequestIds.RequestId;
import com.bacefook.store.rpc.RequestIds;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's replica group: every change goes through the group's Raft log before it is
 * acknowledged, and is applied by every member alike ({@link GroupApplier}); reads wait for a
 * read-index barrier. Only the leader serves: another member refuses, naming the leader's address.
 * Each member announces its client address through the log, so that every member can name the
 * leader and reads the configuration's entry for any member's address as the group's ({@link
 * #asGroup}).
 */
final class ReplicaGroup implements StoreAccess, ConfigWalker.Steps, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaGroup.class);
  private static final Duration UPKEEP_INTERVAL = Duration.ofMillis(500);

  private final GroupSettings settings;
  private final String address;
  private final Ownership ownership;
  private final GroupApplier applier;
  private final GroupMember member;
  private final ShardmasterClient shardmaster;
  /** Announces this member's address, then (on the leader, with --join) joins the shardmaster. */
  private final ScheduledExecutorService upkeep;

  private ReplicaGroup(
      GroupSettings settings,
      String address,
      Ownership ownership,
      GroupApplier applier,
      GroupMember member,
      ShardmasterClient shardmaster) {
    this.settings = settings;
    this.shardmaster = shardmaster;
    this.address = address;
    this.ownership = ownership;
    this.applier = applier;
    this.member = member;
    this.upkeep =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "group-upkeep-" + settings.raftId());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts this server's member of the group in {@code settings}, serving clients at {@code
   * address}, keeping the Raft log and snapshots under {@code dataDir} and the group's state in
   * {@code store} and {@code ownership} (both empty: the log and snapshot fill them); with {@code
   * --join} its leader joins {@code shardmaster}.
   */
  static ReplicaGroup start(
      GroupSettings settings,
      String address,
      Path dataDir,
      KeyValueStore store,
      Ownership ownership,
      ShardmasterClient shardmaster)
      throws IOException {
    GroupApplier applier = new GroupApplier(store, ownership);
    GroupMember member =
        GroupMember.start(
            settings.name(),
            settings.peers(),
            settings.raftId(),
            dataDir,
            applier,
            settings.member(),
            leader ->
                log.info(
                    "{}: member {} of group {}: the leader is now member {}",
                    address, settings.raftId(), settings.name(), leader));
    ReplicaGroup group =
        new ReplicaGroup(settings, address, ownership, applier, member, shardmaster);
    group.upkeep.scheduleWithFixedDelay(
        group::upkeep, 0, UPKEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return group;
  }

  /**
   * Proposes this member's client address until the group's state holds it. Then, on the leader:
   * if the latest configuration lists the group under another member's address (a former leader),
   * or with other replicas than the members announced, asks the shardmaster to list it under this
   * address with the announced replicas, so that routing clients find the leader; if it lists the
   * group nowhere and {@code --join} was given, joins under this address once a majority of the
   * members announced theirs.
   */
  private void upkeep() {
    try {
      if (!announced()) {
        commit(new GroupCommand.Announce(settings.raftId(), address), Optional.empty());
        return;
      }
      if (!walks()) {
        return;
      }
      ReplicaSet replicas = replicaSet();
      Optional<ServerRanges> listed = listedEntry(ownership.latest());
      if (listed.isPresent() ? isCurrent(listed.get(), replicas) : !settings.join()) {
        return;
      }
      // About to change the configuration: decide on the shardmaster's latest, not on the latest this
      // member has seen (a member restarted with an empty data directory has seen none yet, and
      // joining then would list the group twice).
      listed = listedEntry(shardmaster.query());
      if (listed.isPresent() && !isCurrent(listed.get(), replicas)) {
        shardmaster.replace(listed.get().server(), address, Optional.of(replicas));
        log.info(
            "{}: group {} is now listed under this address with replicas {} (was {})",
            address, settings.name(), replicas.replicas(), listed.get());
      } else if (listed.isEmpty()
          && settings.join()
          && replicas.replicas().size() >= settings.peers().majority()) {
        shardmaster.join(address, Optional.of(replicas));
        log.info(
            "{}: group {} joined the cluster under this address with replicas {}",
            address, settings.name(), replicas.replicas());
      }
    } catch (StatusRuntimeException e) {
      log.debug("{}: group upkeep will retry: {}", address, e.getStatus());
    }
  }

  /** Whether {@code entry} lists the group under this member's address with {@code replicas}. */
  private boolean isCurrent(ServerRanges entry, ReplicaSet replicas) {
    return entry.server().equals(address) && entry.group().equals(Optional.of(replicas));
  }

  /** The group as the configuration should list it: the members' addresses in peer order. */
  private ReplicaSet replicaSet() {
    return new ReplicaSet(
        settings.name(),
        settings.peers().members().stream()
            .flatMap(m -> applier.addressOf(m.id()).stream())
            .toList());
  }

  /** The entry under which {@code config} lists this group: one of its members' addresses, if any. */
  private Optional<ServerRanges> listedEntry(Configuration config) {
    Collection<String> aliases = memberAddresses();
    return config.servers().stream().filter(e -> aliases.contains(e.server())).findFirst();
  }

  /**
   * Whether this member follows the shardmaster now: while it leads, once its address is announced
   * (so it reads its own entry as the group's).
   */
  @Override
  public boolean walks() {
    return member.isLeader() && announced();
  }

  /** Returns whether the group's state holds this member's announced address. */
  private boolean announced() {
    return applier.addressOf(settings.raftId()).isPresent();
  }

  /** Returns the client addresses the members announced. */
  private Collection<String> memberAddresses() {
    return applier.memberAddresses().values();
  }

  /**
   * Returns {@code config} as the group reads it: the entries of its members' addresses merged
   * into one entry named after the group.
   */
  private Configuration asGroup(Configuration config) {
    Collection<String> aliases = memberAddresses();
    Map<String, List<ShardRange>> owners = new LinkedHashMap<>();
    for (ServerRanges entry : config.servers()) {
      String owner = aliases.contains(entry.server()) ? settings.name() : entry.server();
      owners.computeIfAbsent(owner, o -> new ArrayList<>()).addAll(entry.ranges());
    }
    List<ServerRanges> servers = new ArrayList<>();
    owners.forEach((owner, ranges) -> servers.add(new ServerRanges(owner, ranges)));
    return new Configuration(config.number(), servers);
  }

  /**
   * Transition "configuration applied" through the log: every member steps to {@code next} (as the
   * group reads it). Returns the transition as the range table now shows it.
   */
  @Override
  public Ownership.Transition advance(Configuration next) {
    Configuration asGroup = asGroup(next);
    commit(new GroupCommand.ConfigApplied(asGroup, ownership.now()), Optional.empty());
    RangeTable table = ownership.table();
    return new Ownership.Transition(
        asGroup,
        table.sending().stream().filter(h -> h.configNumber() == next.number()).toList(),
        table.waiting());
  }

  /** Transition "timeout" through the log, if the leader's table has a handoff to give up on. */
  @Override
  public void expire(Duration timeout, long now) {
    if (!ownership.table().timeout(now, timeout).expired().isEmpty()) {
      commit(new GroupCommand.Expire(now, timeout.toMillis()), Optional.empty());
    }
  }

  /** Notes through the log, as progress, that the sender of an overdue handoff is still there. */
  @Override
  public void senderAlive(long configNumber, String from) {
    handoffArrived(configNumber, from);
  }

  @Override
  public List<RangeTable.Handoff> toResend() {
    return ownership.table().sending();
  }

  /**
   * Ends a handoff through the log: every member deletes the keys of {@code ids} and makes
   * transition "handoff confirmed" (see {@link HandoffSender.Finish}).
   */
  int finishHandoff(
      long configNumber, String target, IdSet ids, List<Map.Entry<String, StoredValue>> entries) {
    commit(new GroupCommand.HandoffConfirmed(configNumber, target, ids), Optional.empty());
    return entries.size();
  }

  @Override
  public boolean blocks() {
    return true;
  }

  @Override
  public void beforeRead() {
    requireLeader();
    group(
        () -> {
          member.readBarrier();
          return null;
        },
        "confirm its leadership for a read",
        false);
  }

  /**
   * Notes a handoff's progress through the log, at the leader's time, so that every member's wait
   * times out alike. The keys themselves are staged on the leader alone until {@link
   * #installHandoff}: a new leader has none staged, and the sender sends them all again.
   */
  @Override
  public void handoffArrived(long configNumber, String from) {
    requireLeader();
    commit(new GroupCommand.Progress(configNumber, from, ownership.now()), Optional.empty());
  }

  /**
   * Transition "handoff installed" through the log: every member puts the handed-over {@code keys}
   * in its store (see {@link HandoffReceiver.Install}; a member keeps no {@code alongside} records).
   * Keys too many for one log entry are staged on every member in chunks first ({@link
   * ChunkedInstall}); the install serves the range only if every key is staged. If this fails midway
   * (say the leader changes), the sender sends again and the chunks are staged again.
   *
   * @throws IllegalArgumentException if one key and its value do not fit in a log entry
   */
  void installHandoff(
      long configNumber, String from, IdSet ids, Map<String, StoredValue> keys, Changes alongside) {
    requireLeader();
    ChunkedInstall install =
        ChunkedInstall.of(configNumber, from, ids, keys, settings.member().maxCommandBytes());
    for (int i = 0; i < install.chunks().size(); i++) {
      commit(install.chunk(i, ownership.now()), Optional.empty());
    }
    commit(install.install(), Optional.empty());
    if (!install.chunks().isEmpty()) {
      log.info(
          "{}: installed {} keys of {} from {} for configuration #{} in {} log entries",
          address, keys.size(), ids, from, configNumber, install.chunks().size() + 1);
    }
  }

  /** Returns how many read indexes this member has taken for its readers. */
  long readIndexesTaken() {
    return member.readIndexesTaken();
  }

  @Override
  public CompletionStage<Void> beforeReadAsync() {
    requireLeader();
    return member
        .readBarrierAsync()
        .exceptionally(
            failure -> {
              throw unavailable("confirm its leadership for a read", Answers.causeOf(failure), false);
            });
  }

  @Override
  public void put(String key, StoredValue value, Optional<RequestId> id) {
    checkServed(key);
    commit(new GroupCommand.Put(key, value), id);
  }

  @Override
  public CompletionStage<Void> putAsync(String key, StoredValue value, Optional<RequestId> id) {
    checkServed(key);
    return commitAsync(new GroupCommand.Put(key, value), id);
  }

  @Override
  public CompletionStage<Void> appendAsync(String key, ByteString data, Optional<RequestId> id) {
    checkServed(key);
    return commitAsync(new GroupCommand.Append(key, data), id);
  }

  @Override
  public CompletionStage<Void> removeAsync(String key, Optional<RequestId> id) {
    checkServed(key);
    return commitAsync(new GroupCommand.Delete(key), id);
  }

  @Override
  public void append(String key, ByteString data, Optional<RequestId> id) {
    checkServed(key);
    commit(new GroupCommand.Append(key, data), id);
  }

  @Override
  public void remove(String key, Optional<RequestId> id) {
    checkServed(key);
    commit(new GroupCommand.Delete(key), id);
  }

  @Override
  public void updateList(String key, String listKey, String item, boolean remove) {
    checkServed(key);
    commit(new GroupCommand.UpdateList(key, listKey, item, remove), Optional.empty());
  }

  /**
   * Refuses unless this member leads, hears from a majority (else the write could not be kept:
   * {@code UNAVAILABLE} saying how many members it sees) and the group serves {@code key}.
   */
  private void checkServed(String key) {
    requireLeader();
    int visible = member.visibleMembers();
    int members = settings.peers().members().size();
    if (visible < settings.peers().majority()) {
      throw Refusals.notReady(
          "replica group " + Quote.of(settings.name()) + " cannot keep a write now: its leader, member "
              + Quote.of(settings.raftId()) + ", sees " + visible + " of " + members
              + " members and a majority is " + settings.peers().majority() + "; retry shortly");
    }
    ownership.serve(key, id -> null);
  }

  private void requireLeader() {
    if (!member.isLeader()) {
      Optional<String> leader = member.leaderId().flatMap(applier::addressOf);
      throw Refusals.notLeader(
          settings.name(),
          settings.raftId(),
          leader,
          member.visibleMembers(),
          settings.peers().members().size());
    }
  }

  /** Proposes {@code command} for request {@code id} and throws unless applying it answered OK. */
  private void commit(GroupCommand command, Optional<RequestId> id) {
    byte[] bytes = encode(command, id);
    GroupReply.decode(group(() -> member.submit(bytes), "commit the change", id.isPresent()))
        .check();
  }

  private static byte[] encode(GroupCommand command, Optional<RequestId> id) {
    return command.encode(
        id.map(RequestId::clientId).orElse(""),
        id.map(RequestId::seq).orElse(0L),
        id.map(RequestId::acked).orElse(0L));
  }

  /** As {@link #commit}, without blocking: the stage fails as {@code commit} would throw. */
  private CompletionStage<Void> commitAsync(GroupCommand command, Optional<RequestId> id) {
    return member
        .submitAsync(encode(command, id))
        .handle(
            (answer, failure) -> {
              if (failure != null) {
                throw unavailable("commit the change", Answers.causeOf(failure), id.isPresent());
              }
              GroupReply.decode(answer).check();
              return null;
            });
  }

  /** A call to the group that may fail. */
  private interface GroupCall<T> {
    T call() throws IOException;
  }

  /**
   * Makes {@code call}; a failure becomes {@code UNAVAILABLE} (a write may still be applied), marked
   * {@link RequestIds#DEDUPLICATED} if it was a write with a request ID ({@code deduplicated}).
   */
  private <T> T group(GroupCall<T> call, String what, boolean deduplicated) {
    try {
      return call.call();
    } catch (IOException e) {
      throw unavailable(what, e, deduplicated);
    }
  }

  /**
   * The refusal for a call to the group that failed with {@code cause}: {@code UNAVAILABLE} (a write
   * may still be applied), marked {@link RequestIds#DEDUPLICATED} if {@code deduplicated}. A status
   * the call itself failed with passes as it is.
   */
  private StatusRuntimeException unavailable(String what, Throwable cause, boolean deduplicated) {
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    return new StatusRuntimeException(
        Status.UNAVAILABLE
            .withDescription(
                "replica group " + Quote.of(settings.name()) + " could not " + what
                    + ": member " + Quote.of(settings.raftId()) + " sees "
                    + member.visibleMembers() + " of " + settings.peers().members().size()
                    + " members (" + cause + ")")
            .withCause(cause),
        deduplicated ? RequestIds.deduplicatedTrailers() : null);
  }

  /**
   * Adds the group to a status report: its name, this member's ID and role, the leader's address and
   * every member as this one sees it (health and lag as the leader knows them).
   */
  void describe(ServerStatus.Builder status) {
    status
        .setGroup(settings.name())
        .setRaftId(settings.raftId())
        .setRole(member.role())
        .setLeader(member.leaderId().flatMap(applier::addressOf).orElse(""));
    for (GroupMember.PeerState peer : member.peerStates()) {
      status.addReplicas(
          ReplicaStatus.newBuilder()
              .setRaftId(peer.id())
              .setAddress(applier.addressOf(peer.id()).orElse(""))
              .setRole(peer.leads() ? "leader" : "follower")
              .setHealthy(peer.healthy())
              .setCommitIndex(peer.commitIndex())
              .setLag(peer.lag()));
    }
  }

  /** Stops the upkeep and the member (its log and snapshots stay for a restart). */
  @Override
  public void close() {
    upkeep.shutdownNow();
    member.close();
  }
}
