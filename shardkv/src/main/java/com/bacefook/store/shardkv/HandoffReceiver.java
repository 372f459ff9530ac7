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
  private final Persistence persistence;
  private final Map<Batch, Map<String, StoredValue>> staging = new ConcurrentHashMap<>();
  private final Set<Batch> installed = new HashSet<>(); // guarded by this

  /**
   * Creates the receiver, resuming from the {@code stage/} and {@code installed/} records in {@code
   * state}. With {@code protect} false (a test-only switch) keys are stored the moment they arrive, as
   * naive heartbeat migration does. {@code onInstalled} runs after each install.
   */
  HandoffReceiver(
      String self,
      KeyValueStore store,
      Ownership ownership,
      Persistence persistence,
      Map<String, byte[]> state,
      boolean protect,
      Runnable onInstalled) {
    this.self = self;
    this.store = store;
    this.ownership = ownership;
    this.persistence = persistence;
    this.protect = protect;
    this.onInstalled = onInstalled;
    state.forEach(
        (name, value) -> {
          if (name.startsWith(StateRecords.STAGE)) {
            StateRecords.Name n = StateRecords.parse(StateRecords.STAGE, name);
            staging
                .computeIfAbsent(new Batch(n.configNumber(), n.server()), b -> new ConcurrentHashMap<>())
                .put(n.key(), RocksPersistence.decode(value));
          } else if (name.startsWith(StateRecords.INSTALLED)) {
            StateRecords.Name n = StateRecords.parse(StateRecords.INSTALLED, name);
            installed.add(new Batch(n.configNumber(), n.server()));
          }
        });
  }

  /** Takes one handed-off key. */
  void receive(long configNumber, String sender, String key, StoredValue value) {
    KeyId.of(key);
    if (!protect) {
      store.put(key, value);
      return;
    }
    // Not synced: if it is lost in a crash, EndHandoff finds a short count and the sender resends.
    persistence.apply(
        new Changes().state(StateRecords.staged(configNumber, sender, key), RocksPersistence.encode(value)),
        false);
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
      Changes alongside =
          new Changes().state(StateRecords.installed(batch.configNumber(), batch.sender()), new byte[0]);
      keys.keySet()
          .forEach(key -> alongside.state(StateRecords.staged(batch.configNumber(), batch.sender(), key), null));
      ownership.install(
          done.getConfigNum(),
          ids,
          served -> {
            store.removeAll(ids.minus(served));
            keys.forEach((key, value) -> store.install(key, value, served.contains(KeyId.of(key))));
          },
          alongside);
      installed.add(batch);
      staging.remove(batch);
    }
    log.info(
        "{}: received {} keys of {} from {} for configuration #{}",
        self, done.getKeyCount(), ids, done.getSender(), done.getConfigNum());
    onInstalled.run();
  }
}
