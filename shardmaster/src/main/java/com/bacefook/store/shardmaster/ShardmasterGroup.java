package com.bacefook.store.shardmaster;

import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a replicated shardmaster: every change goes through the group's Raft log before it
 * is acknowledged and is applied by every member alike ({@link ReplicatedHistory}); reads wait for a
 * read-index barrier. Only the leader serves: another member refuses with {@code
 * FAILED_PRECONDITION} naming the leader's client address, or {@code UNAVAILABLE} saying how many
 * members it sees when there is no leader it knows or it leads without a majority. Each member
 * announces its client address through the log, so every member can name the leader.
 */
final class ShardmasterGroup implements Configurations, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardmasterGroup.class);
  /** The Raft group's name: its ID is derived from it. */
  private static final String GROUP = "shardmaster";
  private static final Duration ANNOUNCE_INTERVAL = Duration.ofMillis(500);
  /**
   * How a member runs unless told otherwise: as a replica group's member, but with log entries of at
   * most 1 MiB (a change names a few servers), so its log buffer stays small in a 64 MB heap.
   */
  static final GroupMember.Options MEMBER_DEFAULTS =
      GroupMember.Options.DEFAULT.withMaxEntryBytes(1024 * 1024);

  private final ReplicationSettings settings;
  private final ReplicatedHistory state;
  private final GroupMember member;
  private final ScheduledExecutorService announcer;

  private ShardmasterGroup(ReplicationSettings settings, ReplicatedHistory state, GroupMember member) {
    this.settings = settings;
    this.state = state;
    this.member = member;
    this.announcer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "shardmaster-announce-" + settings.raftId());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts this member, keeping the Raft log and snapshots under {@code dataDir}/raft.
   *
   * @throws IOException if the Raft server cannot start (port taken, storage unreadable)
   */
  static ShardmasterGroup start(ReplicationSettings settings, Path dataDir) throws IOException {
    ReplicatedHistory state = new ReplicatedHistory();
    GroupMember member =
        GroupMember.start(
            GROUP,
            settings.peers(),
            settings.raftId(),
            dataDir,
            state,
            settings.member(),
            leader ->
                log.info(
                    "{}: shardmaster member {}: the leader is now member {}",
                    settings.address(), settings.raftId(), leader));
    ShardmasterGroup group = new ShardmasterGroup(settings, state, member);
    group.announcer.scheduleWithFixedDelay(
        group::announce, 0, ANNOUNCE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return group;
  }

  /** Proposes this member's client address until the group's state holds it. */
  private void announce() {
    if (state.addressOf(settings.raftId()).equals(Optional.of(settings.address()))) {
      return;
    }
    try {
      member.submit(new ShardmasterCommand.Announce(settings.raftId(), settings.address()).encode());
    } catch (IOException e) {
      log.debug("{}: announcing will retry: {}", settings.address(), e.toString());
    }
  }

  /** Returns this member's copy of the configurations (current as of the last entry applied). */
  ConfigurationHistory history() {
    return state.history();
  }

  @Override
  public void join(String server, Optional<ReplicaSet> group) {
    change(new ShardmasterCommand.Join(server, "", group));
  }

  @Override
  public void replace(String replaced, String server, Optional<ReplicaSet> group) {
    change(new ShardmasterCommand.Join(server, replaced, group));
  }

  @Override
  public void leave(List<String> servers) {
    change(new ShardmasterCommand.Leave(servers));
  }

  @Override
  public void move(String server, ShardRange range) {
    change(new ShardmasterCommand.Move(server, range));
  }

  @Override
  public Configuration latest() {
    readBarrier();
    return state.history().latest();
  }

  @Override
  public Optional<Configuration> get(long number) {
    readBarrier();
    return state.history().get(number);
  }

  /** Returns if this member leads and hears from a majority; throws the refusal otherwise. */
  @Override
  public void checkServes() {
    int members = settings.peers().members().size();
    int visible = member.visibleMembers();
    if (member.isLeader()) {
      if (visible < settings.peers().majority()) {
        throw Refusals.notLeader(GROUP, settings.raftId(), Optional.empty(), visible, members);
      }
      return;
    }
    Optional<String> leader =
        member.leaderId().filter(id -> !id.equals(settings.raftId())).flatMap(state::addressOf);
    throw Refusals.notLeader(GROUP, settings.raftId(), leader, visible, members);
  }

  /** Commits {@code command} through the log and throws the rules' rejection, if any. */
  private void change(ShardmasterCommand command) {
    checkServes();
    byte[] entry = command.encode();
    if (entry.length > settings.member().maxEntryBytes()) {
      throw new IllegalArgumentException(
          "the change takes " + entry.length + " bytes; a replicated shardmaster takes at most "
              + settings.member().maxEntryBytes());
    }
    byte[] answer;
    try {
      answer = member.submit(entry);
    } catch (IOException e) {
      throw Status.UNAVAILABLE
          .withDescription(
              "the shardmaster could not commit the change in time (" + e.getMessage()
                  + "); it may still be applied: query before retrying")
          .asRuntimeException();
    }
    ReplicatedHistory.checkApplied(answer);
  }

  /** Returns once a read of this member's copy is linearizable; throws the refusal otherwise. */
  private void readBarrier() {
    checkServes();
    try {
      member.readBarrier();
    } catch (IOException e) {
      throw Refusals.notLeader(
          GROUP,
          settings.raftId(),
          Optional.empty(),
          member.visibleMembers(),
          settings.peers().members().size());
    }
  }

  @Override
  public void close() {
    announcer.shutdownNow();
    member.close();
  }
}
