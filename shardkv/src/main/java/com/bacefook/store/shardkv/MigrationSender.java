package com.bacefook.store.shardkv;

import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.google.common.util.concurrent.Uninterruptibles;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a range moves away: the keys this server holds outside its ranges are sent to their
 * new owners as handoff-marked {@code Put}s (many in flight, never under a lock), and each is deleted
 * here only once its {@code Put} succeeded. Failed keys are tried again after a pause until they go.
 */
final class MigrationSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MigrationSender.class);
  private static final int MAX_IN_FLIGHT = 256;
  private static final long RETRY_DELAY_MS = 100;
  private static final long PUT_DEADLINE_MS = 5_000;

  private final String self;
  private final KeyValueStore store;
  private final Ownership ownership;
  private final ChannelPool channels;
  private final ScheduledExecutorService worker;
  private final AtomicBoolean scheduled = new AtomicBoolean();

  MigrationSender(String self, KeyValueStore store, Ownership ownership, ChannelPool channels) {
    this.self = self;
    this.store = store;
    this.ownership = ownership;
    this.channels = channels;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "migration-" + self);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Asks for a pass over the store soon; passes never overlap. */
  void kick() {
    schedule(0);
  }

  private void schedule(long delayMs) {
    if (scheduled.compareAndSet(false, true)) {
      worker.schedule(this::pass, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  private void pass() {
    scheduled.set(false);
    Configuration config = ownership.configuration();
    Map<String, List<Map.Entry<String, StoredValue>>> byOwner = new HashMap<>();
    store.forEach(
        (key, value) -> {
          int id = KeyId.of(key);
          if (!config.isOwner(self, id)) {
            Optional<String> owner = config.ownerOf(id);
            owner.ifPresent(
                o -> byOwner.computeIfAbsent(o, x -> new ArrayList<>()).add(Map.entry(key, value)));
          }
        });
    boolean failed = false;
    for (Map.Entry<String, List<Map.Entry<String, StoredValue>>> batch : byOwner.entrySet()) {
      failed |= !send(config, batch.getKey(), batch.getValue());
    }
    if (failed) {
      schedule(RETRY_DELAY_MS);
    }
  }

  /** Sends {@code keys} to {@code owner}; returns whether every one arrived. */
  private boolean send(Configuration config, String owner, List<Map.Entry<String, StoredValue>> keys) {
    ShardkvGrpc.ShardkvStub stub = Handoff.mark(ShardkvGrpc.newStub(channels.channel(owner)), self);
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(keys.size());
    AtomicInteger moved = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    String[] firstError = new String[1];
    for (Map.Entry<String, StoredValue> entry : keys) {
      inFlight.acquireUninterruptibly();
      StoredValue value = entry.getValue();
      PutRequest request =
          PutRequest.newBuilder()
              .setKey(entry.getKey())
              .setData(value.value())
              .setUser(value.author() == null ? "" : value.author())
              .build();
      stub.withDeadlineAfter(PUT_DEADLINE_MS, TimeUnit.MILLISECONDS)
          .put(
              request,
              new StreamObserver<Empty>() {
                @Override
                public void onNext(Empty reply) {}

                @Override
                public void onError(Throwable t) {
                  if (failures.getAndIncrement() == 0) {
                    firstError[0] = t.getMessage();
                  }
                  finish();
                }

                @Override
                public void onCompleted() {
                  if (store.removeIfUnchanged(entry.getKey(), value)) {
                    moved.incrementAndGet();
                  }
                  finish();
                }

                private void finish() {
                  inFlight.release();
                  done.countDown();
                }
              });
    }
    Uninterruptibles.awaitUninterruptibly(done);
    if (failures.get() > 0) {
      log.warn(
          "{}: handoff to {} in configuration #{}: moved {} keys, {} failed (will retry): {}",
          self, owner, config.number(), moved.get(), failures.get(), firstError[0]);
      return false;
    }
    log.info(
        "{}: handed {} keys to {} in configuration #{}", self, moved.get(), owner, config.number());
    return true;
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
