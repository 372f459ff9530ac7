package com.bacefook.store.shardkv;

import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of a handoff: keys arrive as handoff-marked {@code Put}s and wait in a staging area
 * for their configuration and sender; {@code EndHandoff} checks that all of them arrived and installs
 * them in one step, replacing any stale copies of those ranges, then acknowledges.
 */
final class HandoffReceiver {
  private static final Logger log = LoggerFactory.getLogger(HandoffReceiver.class);

  private record Batch(long configNumber, String sender) {}

  private final String self;
  private final KeyValueStore store;
  private final Ownership ownership;
  private final boolean protect;
  private final Runnable onInstalled;
  private final Map<Batch, Map<String, StoredValue>> staging = new ConcurrentHashMap<>();
  private final Set<Batch> installed = new HashSet<>(); // guarded by this

  /**
   * With {@code protect} false (a test-only switch) keys are stored the moment they arrive, as naive
   * heartbeat migration does. {@code onInstalled} runs after each install.
   */
  HandoffReceiver(
      String self, KeyValueStore store, Ownership ownership, boolean protect, Runnable onInstalled) {
    this.self = self;
    this.store = store;
    this.ownership = ownership;
    this.protect = protect;
    this.onInstalled = onInstalled;
  }

  /** Takes one handed-off key. */
  void receive(long configNumber, String sender, String key, StoredValue value) {
    KeyId.of(key);
    if (!protect) {
      store.put(key, value);
      return;
    }
    staging.computeIfAbsent(new Batch(configNumber, sender), b -> new ConcurrentHashMap<>())
        .put(key, value);
  }

  /**
   * Installs the keys {@code done} announces; idempotent.
   *
   * @throws io.grpc.StatusRuntimeException {@code FAILED_PRECONDITION} if some keys did not arrive,
   *     so the sender sends them all again
   */
  void complete(HandoffDone done) {
    Batch batch = new Batch(done.getConfigNum(), done.getSender());
    List<ShardRange> ranges = new ArrayList<>();
    for (Shard shard : done.getShardsList()) {
      ranges.add(
          ShardRange.validated(
              Integer.toUnsignedLong(shard.getLower()), Integer.toUnsignedLong(shard.getUpper())));
    }
    IdSet ids = IdSet.of(ranges);
    synchronized (this) {
      if (!protect || installed.contains(batch)) {
        return;
      }
      Map<String, StoredValue> keys = staging.getOrDefault(batch, Map.of());
      if (keys.size() != done.getKeyCount()) {
        throw Status.FAILED_PRECONDITION
            .withDescription(
                self + " has " + keys.size() + " of the " + done.getKeyCount() + " keys of " + ids
                    + " from " + done.getSender() + " for configuration #" + done.getConfigNum()
                    + "; send them again")
            .asRuntimeException();
      }
      ownership.install(
          done.getConfigNum(),
          ids,
          served -> {
            store.removeAll(ids.minus(served));
            keys.forEach(
                (key, value) -> {
                  if (served.contains(KeyId.of(key))) {
                    store.putIfAbsent(key, value);
                  } else {
                    store.put(key, value);
                  }
                });
          });
      installed.add(batch);
      staging.remove(batch);
    }
    log.info(
        "{}: received {} keys of {} from {} for configuration #{}",
        self, done.getKeyCount(), ids, done.getSender(), done.getConfigNum());
    onInstalled.run();
  }
}
