package com.bacefook.store.shardkv;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.ServerRanges;
import com.google.common.util.concurrent.Uninterruptibles;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a range moves away. The range became SENDING when the configuration that took it
 * was applied ({@link Ownership#advance}); here its keys go to the new owner in {@code HandoffPuts}
 * batches, several in flight and never under a lock, then {@code EndHandoff} says they are all there.
 * Only once the new owner acknowledged that are the keys deleted here, and the range is no longer
 * held ({@link Ownership#confirmed}). Any failure starts the handoff again after a pause ({@link
 * HandoffRetry}: capped backoff, none when a follower named its leader) until it succeeds or the
 * server stops.
 */
final class HandoffSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HandoffSender.class);
  private static final int MAX_IN_FLIGHT = 4;
  private static final int BATCH_KEYS = 4_000;
  private static final long BATCH_CHARS = 2_000_000;
  private static final Duration RPC_DEADLINE = Duration.ofSeconds(10);

  private final String self;
  private final KeyValueStore store;
  private final Ownership ownership;
  private final ChannelPool channels;
  private final Persistence persistence;
  private final ExecutorService workers;
  private final Finish finish;
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicLong keysHandedOff = new AtomicLong();
  /** The progress of each handoff under way, by configuration number and new owner. */
  private final Map<Target, Counts> progress = new ConcurrentHashMap<>();
  /** The handoffs whose every key was sent and whose end waits to be acknowledged. */
  private final Set<HandoffDone> awaitingAck = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Ends a handoff its receiver installed: deletes the keys sent and makes transition "handoff
   * confirmed"; returns how many keys it deleted.
   */
  interface Finish {
    int finish(
        long configNumber, String target, IdSet ids, List<Map.Entry<String, StoredValue>> entries);
  }

  /**
   * Creates the sender of {@code self}, which ends each handoff through {@code finish}, or, if that
   * is null, on this server's own store and persistence.
   */
  HandoffSender(
      String self,
      KeyValueStore store,
      Ownership ownership,
      Persistence persistence,
      ChannelPool channels,
      Finish finish) {
    this.self = self;
    this.finish = finish != null ? finish : this::finishHere;
    this.persistence = persistence;
    this.store = store;
    this.ownership = ownership;
    this.channels = channels;
    this.workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "handoff-" + self);
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Hands {@code ids}, lost in configuration {@code configNumber}, to {@code target}; does nothing
   * once this sender is closed (a durable server resumes the handoff after a restart).
   */
  void submit(long configNumber, String target, IdSet ids) {
    inProgress.incrementAndGet();
    try {
      workers.execute(
          () -> {
            try {
              handOff(configNumber, target, ids);
            } finally {
              inProgress.decrementAndGet();
            }
          });
    } catch (RejectedExecutionException e) {
      inProgress.decrementAndGet();
      log.debug("{}: stopping, so not handing {} to {} now", self, ids, target);
    }
  }

  /** Returns how many keys this server has handed to others since it started. */
  long keysHandedOff() {
    return keysHandedOff.get();
  }

  /** Returns how many handoffs are under way. */
  int inProgress() {
    return inProgress.get();
  }

  /** Returns how far the handoff to {@code target} in {@code configNumber} has come. */
  HandoffProgress progress(long configNumber, String target) {
    Counts counts = progress.get(new Target(configNumber, target));
    return counts == null
        ? HandoffProgress.UNKNOWN
        : new HandoffProgress(counts.total(), counts.sent().get());
  }

  private record Target(long configNumber, String receiver) {}

  /** Keys in a handoff, and how many of them the receiver has acknowledged in this attempt. */
  private record Counts(long total, AtomicLong sent) {}

  private void handOff(long configNumber, String target, IdSet ids) {
    long start = System.nanoTime();
    // The range is no longer served, so its keys are frozen: one snapshot serves every attempt.
    List<Map.Entry<String, StoredValue>> entries = store.entriesIn(ids);
    HandoffDone.Builder end =
        HandoffDone.newBuilder()
            .setConfigNum(configNumber)
            .setSender(self)
            .setReceiver(target)
            .setKeyCount(entries.size())
            .setDigest(HandoffDigest.of(entries));
    ids.ranges().forEach(range -> end.addShards(ProtoConfigurations.toProto(range)));
    HandoffDone done = end.build();
    Counts counts = new Counts(entries.size(), new AtomicLong());
    progress.put(new Target(configNumber, target), counts);
    try {
      handOff(done, ids, entries, counts.sent(), start);
    } finally {
      progress.remove(new Target(configNumber, target));
    }
  }

  private void handOff(
      HandoffDone done,
      IdSet ids,
      List<Map.Entry<String, StoredValue>> entries,
      AtomicLong sent,
      long start) {
    long configNumber = done.getConfigNum();
    String target = done.getReceiver();
    // Where the keys go: the target, or, if it is a replica group, whichever member leads it now.
    String dial = target;
    HandoffRetry retry = HandoffRetry.START;
    for (int attempt = 1; !closed; attempt++) {
      if (!ids.intersection(ownership.served()).isEmpty()) {
        log.warn(
            "{}: serving {} again before its handoff to {} (configuration #{}) ended; keeping it",
            self, ids, target, configNumber);
        return;
      }
      try {
        sent.set(0);
        sendAll(configNumber, dial, entries, sent);
        endHandoff(done, dial);
        int deleted = finish.finish(configNumber, target, ids, entries);
        keysHandedOff.addAndGet(entries.size());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        log.info(
            "{}: handed {} keys of {} to {} for configuration #{} in {} ms (deleted {} here)",
            self, entries.size(), ids, target, configNumber, ms, deleted);
        return;
      } catch (StatusRuntimeException e) {
        if (attempt == 1 || attempt % 20 == 0) {
          log.warn(
              "{}: handoff of {} to {} for configuration #{} failed (attempt {}), retrying: {}",
              self, ids, dial, configNumber, attempt, e.getStatus());
        }
        String tried = dial;
        dial = nextAddress(target, tried, e);
        retry = retry.afterFailure(namedLeader(e).filter(leader -> !leader.equals(tried)).isPresent());
      }
      Uninterruptibles.sleepUninterruptibly(retry.pause());
    }
  }

  /** Ends a handoff on this server's own store: see {@link Finish}. */
  private int finishHere(
      long configNumber, String target, IdSet ids, List<Map.Entry<String, StoredValue>> entries) {
    int deleted = 0;
    for (Map.Entry<String, StoredValue> entry : entries) {
      deleted += store.removeIfUnchanged(entry.getKey(), entry.getValue()) ? 1 : 0;
    }
    // Synced: makes the deletions above durable too, and ends the handoff for good.
    persistence.apply(new Changes().state(StateRecords.outgoing(configNumber, target), null), true);
    ownership.confirmed(configNumber, target, ids);
    return deleted;
  }

  /**
   * Sends every entry in batches of up to {@link #BATCH_KEYS} keys or about {@link #BATCH_CHARS}
   * characters, {@link #MAX_IN_FLIGHT} batches at a time; throws the first failure.
   */
  private void sendAll(
      long configNumber, String target, List<Map.Entry<String, StoredValue>> entries, AtomicLong sent) {
    ShardkvGrpc.ShardkvStub stub =
        Handoff.mark(ShardkvGrpc.newStub(channels.channel(target)), self, configNumber);
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    AtomicReference<StatusRuntimeException> failure = new AtomicReference<>();
    PutBatch.Builder batch = PutBatch.newBuilder();
    long chars = 0;
    for (int i = 0; i < entries.size() && failure.get() == null; i++) {
      Map.Entry<String, StoredValue> entry = entries.get(i);
      StoredValue value = entry.getValue();
      batch.addPuts(
          PutRequest.newBuilder()
              .setKey(entry.getKey())
              .setData(value.value())
              .setUser(value.author() == null ? "" : value.author()));
      chars += entry.getKey().length() + value.value().length();
      if (batch.getPutsCount() == BATCH_KEYS || chars >= BATCH_CHARS || i == entries.size() - 1) {
        inFlight.acquireUninterruptibly();
        int keys = batch.getPutsCount();
        stub.withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .handoffPuts(
                batch.build(),
                new StreamObserver<Empty>() {
                  @Override
                  public void onNext(Empty reply) {}

                  @Override
                  public void onError(Throwable t) {
                    // With its trailers: a replica group's follower names its leader there.
                    failure.compareAndSet(
                        null, Status.fromThrowable(t).asRuntimeException(Status.trailersFromThrowable(t)));
                    inFlight.release();
                  }

                  @Override
                  public void onCompleted() {
                    sent.addAndGet(keys);
                    inFlight.release();
                  }
                });
        batch = PutBatch.newBuilder();
        chars = 0;
      }
    }
    // Every permit back means every batch has been answered.
    inFlight.acquireUninterruptibly(MAX_IN_FLIGHT);
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /**
   * Returns where to send a handoff to {@code target} next, after the attempt at {@code dial} failed
   * with {@code failure}: to the leader a refusal names (a replica group's follower names it), else,
   * if the target is a replica group, to its next member (its leader may have died), else again to
   * the target.
   */
  private String nextAddress(String target, String dial, StatusRuntimeException failure) {
    Optional<String> leader = namedLeader(failure);
    if (leader.isPresent()) {
      return leader.get();
    }
    List<String> members =
        ownership.applied().entryNamedBy(target).flatMap(ServerRanges::group)
            .map(group -> (List<String>) group.replicas())
            .orElse(List.of());
    if (members.isEmpty()) {
      return target;
    }
    return members.get((members.indexOf(dial) + 1) % members.size());
  }

  /** The leader a replica group's follower named when it refused with {@code failure}, if any. */
  private static Optional<String> namedLeader(StatusRuntimeException failure) {
    return Refusals.isNotLeader(failure) ? Refusals.ownerHint(failure) : Optional.empty();
  }

  private void endHandoff(HandoffDone done, String dial) {
    awaitingAck.add(done);
    try {
      ShardkvGrpc.newBlockingStub(channels.channel(dial))
          .withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .endHandoff(done);
    } finally {
      awaitingAck.remove(done);
    }
  }

  /**
   * Answers a receiver's {@code ConfirmHandoff}: returns if this server sent exactly {@code done} and
   * waits for its acknowledgement.
   *
   * @throws io.grpc.StatusRuntimeException {@code FAILED_PRECONDITION} otherwise
   */
  void confirm(HandoffDone done) {
    if (!awaitingAck.contains(done)) {
      throw Status.FAILED_PRECONDITION
          .withDescription(self + " is not waiting for that handoff to be acknowledged")
          .asRuntimeException();
    }
  }

  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
