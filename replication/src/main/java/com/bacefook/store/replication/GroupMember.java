package com.bacefook.store.replication;

import com.bacefook.store.rpc.Answers;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One member of a replicated group: a Ratis server (Netty transport on its {@code --raft-peers} port,
 * log and snapshots under {@code <data-dir>/raft}) applying the group's log to a {@link
 * ReplicatedState}, and a Ratis client through which this member proposes commands (the client
 * finds the leader) and asks for linearizable read barriers.
 */
public final class GroupMember implements AutoCloseable {
  /** How long one attempt to commit a command may take before the client tries again. */
  private static final TimeDuration REQUEST_TIMEOUT = TimeDuration.valueOf(3, TimeUnit.SECONDS);
  /** Room in the log's write buffer for an entry's envelope around its largest command. */
  private static final long ENVELOPE_BYTES = 1024 * 1024;
  /** More than Ratis's own fields of a log entry around a command take. */
  private static final long ENTRY_FIELDS_BYTES = 256;

  /**
   * How many batches of commands (and read indexes) the leader has in flight at once. One: the
   * commands that arrive while a batch commits all go in the next, so entries are larger and fewer,
   * and a follower's cost is per entry (bench steady --replicas 3 --data-dir, 64 clients, two runs
   * each way side by side: 1,513-1,655 ops/s at 954-1,008 µs of server CPU per operation with one,
   * 1,155-1,363 ops/s at 1,164-1,369 µs with two).
   */
  private static final int BATCHES_IN_FLIGHT = 1;
  /** The most commands one log entry carries. */
  private static final int MAX_BATCH_COMMANDS = 1024;
  /** The most bytes of commands one log entry carries (a larger command goes alone). */
  private static final long MAX_BATCH_BYTES = 1024 * 1024;
  private static final byte[] NO_BYTES = new byte[0];

  /** How many times the client tries a command (a leader change makes it try the new leader). */
  private static final int ATTEMPTS = 5;
  /**
   * How a member runs.
   *
   * @param snapshotEvery how many log entries may follow the latest snapshot before the next is taken
   * @param logSegmentBytes the size of one log segment; only whole segments older than the latest
   *     snapshot are deleted
   * @param electionTimeout the shortest time without a leader's heartbeat before a member stands for
   *     election (the longest is twice that)
   * @param maxEntryBytes the largest log entry (shardkv cuts a larger handoff into the group into
   *     several); beyond it the group refuses the command. The log's write buffer, allocated once per
   *     member, holds one such entry and its envelope.
   */
  public record Options(
      long snapshotEvery, long logSegmentBytes, TimeDuration electionTimeout, long maxEntryBytes) {
    /** The shortest election timeout a member accepts. */
    public static final TimeDuration MIN_ELECTION_TIMEOUT =
        TimeDuration.valueOf(50, TimeUnit.MILLISECONDS);

    /**
     * The longest election timeout a member accepts: an election may take twice it, and a commit or
     * read barrier waits 3 s, which must outlast one.
     */
    public static final TimeDuration MAX_ELECTION_TIMEOUT =
        TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS);

    /**
     * A snapshot every 10,000 entries, 8 MiB segments, elections after 0.5 to 1 s of silence (the
     * leader's heartbeats go every 0.25 s), entries up to 16 MiB.
     */
    public static final Options DEFAULT =
        new Options(
            10_000,
            8L * 1024 * 1024,
            TimeDuration.valueOf(500, TimeUnit.MILLISECONDS),
            16L * 1024 * 1024);

    /** Checks the values. */
    public Options {
      if (snapshotEvery < 1 || logSegmentBytes < 1024) {
        throw new IllegalArgumentException(
            "--snapshot-every must be at least 1 and a log segment at least 1024 bytes");
      }
      if (electionTimeout.compareTo(MIN_ELECTION_TIMEOUT) < 0
          || electionTimeout.compareTo(MAX_ELECTION_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "the election timeout must be "
                + MIN_ELECTION_TIMEOUT.toLong(TimeUnit.MILLISECONDS)
                + " to "
                + MAX_ELECTION_TIMEOUT.toLong(TimeUnit.MILLISECONDS)
                + " ms, got "
                + electionTimeout.toLong(TimeUnit.MILLISECONDS)
                + " ms");
      }
      if (maxEntryBytes < 1024) {
        throw new IllegalArgumentException("a log entry must be allowed at least 1024 bytes");
      }
    }

    /** Returns these options with a snapshot every {@code entries} log entries. */
    public Options withSnapshotEvery(long entries) {
      return new Options(entries, logSegmentBytes, electionTimeout, maxEntryBytes);
    }

    /** Returns these options with log segments of {@code bytes}. */
    public Options withLogSegmentBytes(long bytes) {
      return new Options(snapshotEvery, bytes, electionTimeout, maxEntryBytes);
    }

    /** Returns these options standing for election after {@code timeout} without a leader. */
    public Options withElectionTimeout(TimeDuration timeout) {
      return new Options(snapshotEvery, logSegmentBytes, timeout, maxEntryBytes);
    }

    /** Returns these options with log entries of at most {@code bytes}. */
    public Options withMaxEntryBytes(long bytes) {
      return new Options(snapshotEvery, logSegmentBytes, electionTimeout, bytes);
    }

    /**
     * Returns the largest command {@link GroupMember#submit} should be given: {@code maxEntryBytes}
     * less room for what Ratis adds to it in a log entry (client and call IDs, term, index).
     */
    public long maxCommandBytes() {
      return maxEntryBytes - ENTRY_FIELDS_BYTES;
    }
  }

  private final String groupName;
  private final RaftPeers peers;
  private final RaftPeerId self;
  private final RaftGroup group;
  private final RaftServer server;
  private final RaftClient client;
  private final Options options;
  /** Identifies the commands this member submits to its own server, numbered by {@link #callIds}. */
  private final ClientId localClient = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  /** How many read indexes this member's readers have been confirmed by. */
  private final AtomicLong readIndexes = new AtomicLong();
  /** Answers the commands of committed batches and starts the next ones. */
  private final ExecutorService batchEnds =
      Executors.newSingleThreadExecutor(
          new ThreadFactoryBuilder().setNameFormat("group-batches").setDaemon(true).build());
  /** Batches the commands submitted on the leader (group commit of the log). */
  private final CommandBatcher writes;
  /** Shares each read index among the readers that arrived before it was taken. */
  private final CommandBatcher reads;

  private GroupMember(
      String groupName,
      RaftPeers peers,
      String selfId,
      RaftGroup group,
      RaftServer server,
      RaftClient client,
      Options options) {
    this.groupName = groupName;
    this.peers = peers;
    this.self = RaftPeerId.valueOf(selfId);
    this.group = group;
    this.server = server;
    this.client = client;
    this.options = options;
    // A framed batch stays within maxCommandBytes like a single command (the batcher counts the
    // framing; a larger command goes alone, unframed).
    long batchBytes = Math.max(1, Math.min(MAX_BATCH_BYTES, options.maxCommandBytes()));
    this.writes =
        new CommandBatcher(
            this::commitLocally, batchEnds, BATCHES_IN_FLIGHT, MAX_BATCH_COMMANDS, batchBytes);
    this.reads =
        new CommandBatcher(
            this::readIndexLocally, batchEnds, BATCHES_IN_FLIGHT, Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * Starts member {@code selfId} of group {@code groupName} (the same name on every member), keeping
   * its log under {@code dataDir}/raft and applying it to {@code state}; {@code leaderChanged} hears
   * the ID of every new leader.
   *
   * @throws IllegalArgumentException if {@code selfId} is not one of {@code peers}
   * @throws IOException if the Raft server cannot start (port taken, storage unreadable)
   */
  public static GroupMember start(
      String groupName,
      RaftPeers peers,
      String selfId,
      Path dataDir,
      ReplicatedState state,
      Options options,
      Consumer<String> leaderChanged)
      throws IOException {
    RaftPeers.Member me = peers.require(selfId);
    RaftGroup group =
        RaftGroup.valueOf(
            RaftGroupId.valueOf(
                UUID.nameUUIDFromBytes(groupName.getBytes(StandardCharsets.UTF_8))),
            peers.members().stream()
                .map(
                    m ->
                        RaftPeer.newBuilder()
                            .setId(m.id())
                            .setAddress(m.address().toString())
                            .build())
                .toList());
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(dataDir.resolve("raft").toFile()));
    // Ratis over plain Netty rather than gRPC: no HTTP/2 framing and no executor hop per message.
    // bench steady --replicas 3 --data-dir, 64 clients, two runs each way side by side: 4,478 and
    // 4,947 ops/s at 369 and 333 µs of server CPU per operation, against 3,873 and 3,768 at 441
    // and 455 with gRPC.
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
    NettyConfigKeys.Server.setPort(properties, me.address().getPort());
    NettyConfigKeys.Server.setHost(properties, me.address().getHost());
    RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // The lease (a leader that heard from a majority within 90 % of the shortest election timeout
    // confirms reads without a heartbeat round) relies on pre-vote: a follower that heard from the
    // leader that recently refuses to help elect another.
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
    RaftServerConfigKeys.LeaderElection.setPreVote(properties, true);
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, options.electionTimeout());
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, options.electionTimeout().multiply(2));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, options.snapshotEvery());
    RaftServerConfigKeys.Log.setSegmentSizeMax(
        properties, SizeInBytes.valueOf(options.logSegmentBytes()));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, 1);
    // The largest command: for shardkv, one chunk of a handoff's keys.
    SizeInBytes maxEntry = SizeInBytes.valueOf(options.maxEntryBytes());
    SizeInBytes maxMessage = SizeInBytes.valueOf(options.maxEntryBytes() + ENVELOPE_BYTES);
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, maxEntry);
    // Ratis counts the bytes of pending writes in whole MiB, rounding a limit down (under 1 MiB, to
    // none: a member that wins an election cannot start leading) and each write up.
    long mib = 1024 * 1024;
    RaftServerConfigKeys.Write.setByteLimit(
        properties, SizeInBytes.valueOf((options.maxEntryBytes() + mib - 1) / mib * mib));
    RaftServerConfigKeys.Log.setWriteBufferSize(properties, maxMessage);
    RaftServer server =
        RaftServer.newBuilder()
            .setGroup(group)
            .setProperties(properties)
            .setServerId(RaftPeerId.valueOf(selfId))
            .setStateMachine(
                new GroupStateMachine(state, id -> leaderChanged.accept(id.toString())))
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    server.start();
    RaftProperties clientProperties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(clientProperties, SupportedRpcType.NETTY);
    RaftClientConfigKeys.Rpc.setRequestTimeout(clientProperties, REQUEST_TIMEOUT);
    RaftClient client =
        RaftClient.newBuilder()
            .setProperties(clientProperties)
            .setRaftGroup(group)
            .setRetryPolicy(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                    ATTEMPTS, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
            .build();
    return new GroupMember(groupName, peers, selfId, group, server, client, options);
  }

  /** Returns the group's name. */
  public String groupName() {
    return groupName;
  }

  /** Returns this member's Raft ID. */
  public String id() {
    return self.toString();
  }

  /** Returns the group's members. */
  public RaftPeers peers() {
    return peers;
  }

  /**
   * Proposes {@code command} to the group's log and returns what applying it answered, once a
   * majority holds it. On the leader the command goes straight to the local Raft server (no RPC to
   * itself), batched with the commands other threads submit meanwhile ({@link CommandBatcher}: one
   * log entry for many concurrent writes); elsewhere, or if leadership moved meanwhile, the client
   * finds the leader and tries a few times.
   *
   * @throws IOException if no leader committed it in time: it may still be applied later
   */
  public byte[] submit(byte[] command) throws IOException {
    if (CommandBatch.isBatch(command)) {
      throw new IllegalArgumentException(
          "a command must not start with the byte that marks a batch of commands");
    }
    if (isLeader()) {
      try {
        return await(writes.submit(command));
      } catch (NotLeaderNow e) {
        // Leadership moved between the check and the proposal: the client finds the new leader.
      }
    }
    return content(client.io().send(Message.valueOf(ByteString.copyFrom(command))));
  }

  /**
   * As {@link #submit}, without blocking the calling thread: the future holds what applying the
   * command answered, or fails with the {@link IOException} {@code submit} would throw. It may
   * complete on a thread of the batcher or of Ratis.
   */
  public CompletableFuture<byte[]> submitAsync(byte[] command) {
    if (CommandBatch.isBatch(command)) {
      throw new IllegalArgumentException(
          "a command must not start with the byte that marks a batch of commands");
    }
    if (!isLeader()) {
      return viaClient(command);
    }
    return withinTimeout(writes.submit(command), "commit the command")
        .exceptionallyCompose(
            failure ->
                Answers.causeOf(failure) instanceof NotLeaderNow
                    // Leadership moved between the check and the proposal: the client finds the leader.
                    ? viaClient(command)
                    : CompletableFuture.failedFuture(Answers.causeOf(failure)));
  }

  /** Sends {@code command} through the Raft client, which finds the leader and tries a few times. */
  private CompletableFuture<byte[]> viaClient(byte[] command) {
    return client
        .async()
        .send(Message.valueOf(ByteString.copyFrom(command)))
        .thenApply(
            reply -> {
              try {
                return content(reply);
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            });
  }

  /**
   * Fails {@code answer} with an {@link IOException} if it is not done within the request timeout: a
   * command not yet taken into a batch then never will be; one taken may still be applied.
   */
  private static CompletableFuture<byte[]> withinTimeout(
      CompletableFuture<byte[]> answer, String what) {
    return answer
        .orTimeout(REQUEST_TIMEOUT.getDuration(), REQUEST_TIMEOUT.getUnit())
        .exceptionallyCompose(
            failure -> {
              Throwable cause = Answers.causeOf(failure);
              if (cause instanceof TimeoutException) {
                cause = new IOException("the group did not " + what + " within " + REQUEST_TIMEOUT, cause);
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  /**
   * Commits {@code commands} as one log entry through this member's own Raft server: a single
   * command as itself, several as a {@link CommandBatch}. A commit not answered within the request
   * timeout fails (it may still be applied later), so that it frees its place among the batches in
   * flight.
   */
  private CompletableFuture<List<byte[]>> commitLocally(List<byte[]> commands) {
    boolean single = commands.size() == 1;
    byte[] entry = single ? commands.get(0) : CommandBatch.encode(commands);
    return local(Message.valueOf(ByteString.copyFrom(entry)), RaftClientRequest.writeRequestType())
        .orTimeout(REQUEST_TIMEOUT.getDuration(), REQUEST_TIMEOUT.getUnit())
        .thenApply(
            reply -> {
              byte[] answer = localContent(reply);
              return single ? List.of(answer) : CommandBatch.decode(answer);
            });
  }

  /** Takes one read index for a batch of waiting readers, all of which arrived before it. */
  private CompletableFuture<List<byte[]>> readIndexLocally(List<byte[]> readers) {
    return local(Message.EMPTY, RaftClientRequest.readRequestType())
        .orTimeout(REQUEST_TIMEOUT.getDuration(), REQUEST_TIMEOUT.getUnit())
        .thenApply(
            reply -> {
              localContent(reply);
              readIndexes.incrementAndGet();
              return Collections.nCopies(readers.size(), NO_BYTES);
            });
  }

  /** Submits {@code message} to this member's own Raft server. */
  private CompletableFuture<RaftClientReply> local(Message message, RaftClientRequest.Type type) {
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(localClient)
            .setServerId(self)
            .setGroupId(group.getGroupId())
            .setCallId(callIds.incrementAndGet())
            .setMessage(message)
            .setType(type)
            .build();
    try {
      return server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The content of a reply from this member's own server; NotLeaderNow if it no longer leads. */
  private static byte[] localContent(RaftClientReply reply) {
    if (reply.getNotLeaderException() != null || reply.getLeaderNotReadyException() != null) {
      throw new NotLeaderNow();
    }
    try {
      return content(reply);
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  /** Waits for a local answer for at most the request timeout. */
  private static byte[] await(CompletableFuture<byte[]> answer) throws IOException {
    try {
      return answer.get(REQUEST_TIMEOUT.toLong(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while the group committed a command");
      answer.completeExceptionally(interrupted);
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      if (cause instanceof NotLeaderNow notLeader) {
        throw notLeader;
      }
      throw cause instanceof IOException io ? io : new IOException(cause);
    } catch (TimeoutException e) {
      // Not yet taken into a batch, it never will be; taken, it may still be applied.
      IOException late =
          new IOException("the group did not commit the command within " + REQUEST_TIMEOUT, e);
      answer.completeExceptionally(late);
      throw late;
    }
  }

  /** This member stopped leading before its own server took a request. */
  private static final class NotLeaderNow extends RuntimeException {
    NotLeaderNow() {
      super("this member no longer leads the group", null, false, false);
    }
  }

  /**
   * Returns once this member's state holds every command committed before the call (a Ratis
   * read index, shared by the readers that arrive while the previous one is taken): a read of the
   * local state after it is linearizable.
   *
   * @throws IOException if the group could not confirm its leader in time
   */
  public void readBarrier() throws IOException {
    try {
      await(reads.submit(NO_BYTES));
    } catch (NotLeaderNow e) {
      throw noLongerLeads(e);
    }
  }

  private IOException noLongerLeads(NotLeaderNow cause) {
    return new IOException(
        "member " + self + " of group " + groupName + " no longer leads; the leader is "
            + leaderId().orElse("not known"), cause);
  }

  /**
   * As {@link #readBarrier}, without blocking the calling thread: the future completes once a read of
   * this member's state is linearizable, or fails with the {@link IOException} {@code readBarrier}
   * would throw.
   */
  public CompletableFuture<Void> readBarrierAsync() {
    return withinTimeout(reads.submit(NO_BYTES), "confirm its leadership")
        .handle(
            (done, failure) -> {
              if (failure == null) {
                return null;
              }
              Throwable cause = Answers.causeOf(failure);
              throw new CompletionException(
                  cause instanceof NotLeaderNow notLeader
                      ? noLongerLeads(notLeader)
                      : cause instanceof IOException ? cause : new IOException(cause));
            });
  }

  private static byte[] content(RaftClientReply reply) throws IOException {
    if (!reply.isSuccess()) {
      throw reply.getException() != null
          ? reply.getException()
          : new IOException("the group did not apply the command");
    }
    return reply.getMessage().getContent().toByteArray();
  }

  /** Returns whether this member leads the group now. */
  public boolean isLeader() {
    return info().isLeader();
  }

  /** Returns the ID of the member this one believes leads, if any. */
  public Optional<String> leaderId() {
    RaftPeerId leader = info().getLeaderId();
    return Optional.ofNullable(leader).map(RaftPeerId::toString);
  }

  /**
   * Returns how many read indexes have confirmed this member's leadership for its readers (one for
   * all the readers that waited on it; see {@link #readBarrier}).
   */
  public long readIndexesTaken() {
    return readIndexes.get();
  }

  /**
   * Returns how many members this one has heard from lately (itself included): a leader counts the
   * followers that answered it within two election timeouts; any other member counts itself and the
   * leader if it knows one.
   */
  public int visibleMembers() {
    DivisionInfo info = info();
    if (!info.isLeader()) {
      return info.getLeaderId() == null || info.getLeaderId().equals(self) ? 1 : 2;
    }
    RoleInfoProto role = info.getRoleInfoProto();
    long fresh = 2 * options.electionTimeout().toLong(TimeUnit.MILLISECONDS);
    return 1
        + (int)
            role.getLeaderInfo().getFollowerInfoList().stream()
                .filter(f -> f.getLastRpcElapsedTimeMs() < fresh)
                .count();
  }

  /**
   * One member as this one sees it.
   *
   * @param id its Raft ID
   * @param leads whether this member believes it leads
   * @param healthy on the leader: it answered within two election timeouts (the leader itself
   *     always); elsewhere: it is this member or the leader this one hears
   * @param commitIndex its commit index as the leader last heard it (0 when not known)
   * @param lag how many entries the leader has committed that it has not (0 when not known)
   */
  public record PeerState(String id, boolean leads, boolean healthy, long commitIndex, long lag) {}

  /** Returns this member's role: "leader", "follower", "candidate" (or Ratis's name for another). */
  public String role() {
    return info().getCurrentRole().name().toLowerCase(Locale.ROOT);
  }

  /** Returns every member as this one sees it, in {@code --raft-peers} order (see {@link PeerState}). */
  public List<PeerState> peerStates() {
    DivisionInfo info = info();
    Optional<String> leader = Optional.ofNullable(info.getLeaderId()).map(RaftPeerId::toString);
    if (!info.isLeader()) {
      return peers.members().stream()
          .map(m -> new PeerState(m.id(), leader.equals(Optional.of(m.id())),
              m.id().equals(id()) || leader.equals(Optional.of(m.id())), 0, 0))
          .toList();
    }
    long fresh = 2 * options.electionTimeout().toLong(TimeUnit.MILLISECONDS);
    Set<String> answered = new HashSet<>(List.of(id()));
    for (ServerRpcProto follower : info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()) {
      if (follower.getLastRpcElapsedTimeMs() < fresh) {
        answered.add(follower.getId().getId().toStringUtf8());
      }
    }
    Map<String, Long> commits = new HashMap<>();
    for (CommitInfoProto commit : division().getCommitInfos()) {
      commits.put(commit.getServer().getId().toStringUtf8(), commit.getCommitIndex());
    }
    long leaderCommit = commits.getOrDefault(id(), info.getLastAppliedIndex());
    return peers.members().stream()
        .map(
            m -> {
              long commit = commits.getOrDefault(m.id(), 0L);
              return new PeerState(
                  m.id(), m.id().equals(id()), answered.contains(m.id()), commit,
                  Math.max(0, leaderCommit - commit));
            })
        .toList();
  }

  private DivisionInfo info() {
    return division().getInfo();
  }

  private RaftServer.Division division() {
    try {
      return server.getDivision(group.getGroupId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the client and the Raft server (the log and snapshots stay for a restart). */
  @Override
  public void close() {
    IOException closing = new IOException("member " + self + " of group " + groupName + " is closing");
    writes.close(closing);
    reads.close(closing);
    try {
      client.close();
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      batchEnds.shutdown();
    }
  }
}
