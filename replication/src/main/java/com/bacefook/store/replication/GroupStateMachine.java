package com.bacefook.store.replication;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Raft state machine of a replica group: it only decodes log entries (a command, or a {@link
 * CommandBatch} of them) and hands each command's bytes to the {@link ReplicatedState}, answers
 * read-index queries (a barrier: the state is read locally once the query returns), and writes and
 * loads snapshots as one file each.
 */
final class GroupStateMachine extends BaseStateMachine {
  private static final Message EMPTY = Message.valueOf(ByteString.EMPTY);

  private final ReplicatedState state;
  private final Consumer<RaftPeerId> leaderChanged;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

  /** Creates the machine applying to {@code state}, telling {@code leaderChanged} of each new leader. */
  GroupStateMachine(ReplicatedState state, Consumer<RaftPeerId> leaderChanged) {
    this.state = state;
    this.leaderChanged = leaderChanged;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().transition(LifeCycle.State.STARTING);
    load(storage.loadLatestSnapshot());
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  /** Pauses before Ratis installs a snapshot from the leader; {@link #reinitialize} resumes. */
  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  /** Loads the latest snapshot (at start, or once one was installed from the leader) and resumes. */
  @Override
  public void reinitialize() throws IOException {
    load(storage.loadLatestSnapshot());
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    Path file = snapshot.getFile().getPath();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file.toFile(), md5);
    }
    synchronized (state) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        state.readSnapshot(in);
      }
      updateLastAppliedTermIndex(snapshot.getTermIndex());
    }
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex applied;
    File file;
    synchronized (state) {
      applied = getLastAppliedTermIndex();
      if (applied == null || applied.getIndex() < 0) {
        return RaftLog.INVALID_LOG_INDEX;
      }
      file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
      Path partial = file.toPath().resolveSibling(file.getName() + ".partial");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
        state.writeSnapshot(out);
      }
      Files.move(partial, file.toPath(), StandardCopyOption.ATOMIC_MOVE);
    }
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(
        new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), applied));
    return applied.getIndex();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    byte[] reply;
    synchronized (state) {
      reply = apply(entry.getStateMachineLogEntry().getLogData().toByteArray());
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    }
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
  }

  /** Applies one command, or each command of a {@link CommandBatch} in order (answering a batch). */
  byte[] apply(byte[] entry) {
    if (!CommandBatch.isBatch(entry)) {
      return state.apply(entry);
    }
    List<byte[]> commands = CommandBatch.decode(entry);
    List<byte[]> answers = new ArrayList<>(commands.size());
    for (byte[] command : commands) {
      answers.add(state.apply(command));
    }
    return CommandBatch.encode(answers);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.completedFuture(EMPTY);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    leaderChanged.accept(newLeaderId);
  }
}
