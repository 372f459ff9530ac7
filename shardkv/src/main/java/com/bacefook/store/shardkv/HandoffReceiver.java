package com.bacefook.store.shardkv;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of a handoff: keys arrive in {@code HandoffPuts} batches and wait in a staging area
 * for their configuration and sender; {@code EndHandoff} checks that all of them arrived and installs
 * them in one step, replacing any stale copies of those ranges, then acknowledges.
 */
final class HandoffReceiver {
  private static final Logger log = LoggerFactory.getLogger(HandoffReceiver.class);

  private record Batch(long configNumber, String sender) {}

  private final String self;
  /** The name of this server's replica group, if it is a member of one. */
  private final Optional<String> ownGroup;
  private final KeyValueStore store;
  private final Ownership ownership;
  private final boolean protect;
  private final Runnable onInstalled;
  private final Persistence persistence;
  private final ConfigCache configs;
  private final Map<Batch, Map<String, StoredValue>> staging = new ConcurrentHashMap<>();
  private final Set<Batch> installed = ConcurrentHashMap.newKeySet();
  private final Consumer<HandoffDone> confirmWithSender;
  private final Install install;

  /**
   * Makes transition "handoff installed" for {@code ids} from {@code from} in configuration {@code
   * configNumber}: puts the staged {@code keys} in the store ({@link #installKeys}) and writes
   * {@code alongside} with the new state.
   */
  interface Install {
    void install(
        long configNumber, String from, IdSet ids, Map<String, StoredValue> keys, Changes alongside);
  }

  /**
   * Creates the receiver, resuming from the {@code stage/} and {@code installed/} records in {@code
   * state}. With {@code protect} false (a test-only switch) keys are stored the moment they arrive, as
   * naive heartbeat migration does. {@code confirmWithSender} asks the sender named in a {@link
   * HandoffDone} (at its address in the configuration) whether it really sent it, and throws if not;
   * {@code onInstalled} runs after each install. {@code install} makes the installs, or, if null,
   * this server's own {@link Ownership#install}.
   */
  HandoffReceiver(
      String self,
      KeyValueStore store,
      Ownership ownership,
      ConfigCache configs,
      Persistence persistence,
      Map<String, byte[]> state,
      boolean protect,
      Consumer<HandoffDone> confirmWithSender,
      Runnable onInstalled,
      Install install) {
    this.confirmWithSender = confirmWithSender;
    this.install =
        install != null
            ? install
            : (configNumber, from, ids, keys, alongside) ->
                ownership.install(
                    configNumber, from, ids, served -> installKeys(store, ids, keys, served), alongside);
    this.self = self;
    this.ownGroup = ownership.self().equals(self) ? Optional.empty() : Optional.of(ownership.self());
    this.store = store;
    this.ownership = ownership;
    this.configs = configs;
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

  /**
   * Puts handed-over {@code keys} of {@code ids} in {@code store}, which serves {@code served}
   * already (their wait timed out): there it keeps what clients wrote since; elsewhere in {@code
   * ids} what the store held before is replaced.
   */
  static void installKeys(
      KeyValueStore store, IdSet ids, Map<String, StoredValue> keys, IdSet served) {
    store.removeAll(ids.minus(served));
    keys.forEach((key, value) -> store.install(key, value, served.contains(KeyId.of(key))));
  }

  /** Returns how many keys of the handoff from {@code sender} in {@code configNumber} are staged. */
  HandoffProgress progress(long configNumber, String sender) {
    Map<String, StoredValue> staged = staging.get(new Batch(configNumber, sender));
    return new HandoffProgress(0, staged == null ? 0 : staged.size());
  }

  /**
   * Returns the name configuration {@code number} gives {@code address}: the listed address of the
   * replica group it is a member of (the group's leader when the configuration was made, maybe
   * another member now), else the address itself. A group's handoff is the group's, whichever member
   * leads it when the keys move. A member the configuration does not list among its group's replicas
   * (a group joins once a majority announced their addresses) is found by its group's name: this
   * server's own group, or the group the newest configuration known lists {@code address} in.
   */
  private String nameIn(long number, String address) {
    Optional<String> group =
        address.equals(self)
            ? ownGroup
            : ownership.latest().entryNamedBy(address).flatMap(ServerRanges::group).map(ReplicaSet::name);
    return nameIn(configs.get(number), address, group);
  }

  /**
   * Returns the name {@code config} gives {@code address}, a member of replica group {@code group}
   * if known: see {@link #nameIn(long, String)}.
   */
  static String nameIn(Configuration config, String address, Optional<String> group) {
    return config.entryNamedBy(address)
        .or(() -> group.flatMap(config::entryNamedBy).filter(entry -> entry.group().isPresent()))
        .map(ServerRanges::server)
        .orElse(address);
  }

  /**
   * Returns the name under which this server's range table expects the handoff of configuration
   * {@code configNumber} from {@code address}: the sender's name in the configuration before.
   */
  String senderName(long configNumber, String address) {
    return nameIn(configNumber - 1, address);
  }

  /**
   * Checks that {@code sender} owned {@code ids} in the configuration before {@code configNumber} and
   * that this server owns them in {@code configNumber}, as a real handoff requires.
   */
  private void checkHandoff(long configNumber, String sender, IdSet ids) {
    if (configNumber < 1) {
      throw Status.INVALID_ARGUMENT
          .withDescription("a handoff needs a configuration number of at least 1")
          .asRuntimeException();
    }
    IdSet receiving = IdSet.ownedBy(configs.get(configNumber), nameIn(configNumber, self));
    IdSet sending = IdSet.ownedBy(configs.get(configNumber - 1), senderName(configNumber, sender));
    if (!ids.minus(receiving.intersection(sending)).isEmpty()) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "not a handoff: " + ids + " does not move from " + Quote.of(sender) + " to " + self
                  + " in configuration #" + configNumber)
          .asRuntimeException();
    }
  }

  /**
   * Takes one handed-off key (of a {@code HandoffPuts} batch).
   *
   * @throws io.grpc.StatusRuntimeException {@code FAILED_PRECONDITION} if it is not part of a handoff
   *     from {@code sender} to this server in configuration {@code configNumber}
   */
  void receive(long configNumber, String address, String key, StoredValue value) {
    int id = KeyId.of(key);
    if (configNumber < 1
        || !configs.get(configNumber).isOwner(nameIn(configNumber, self), id)
        || !configs.get(configNumber - 1).isOwner(senderName(configNumber, address), id)) {
      checkHandoff(configNumber, address, IdSet.of(List.of(new ShardRange(id, id))));
    }
    String sender = senderName(configNumber, address);
    if (!protect) {
      store.put(key, value);
      return;
    }
    if (installed.contains(new Batch(configNumber, sender))) {
      return; // a late repeat of a handoff already installed
    }
    if (persistence.durable()) {
      // Not synced: if it is lost in a crash, EndHandoff finds a short count and the sender resends.
      persistence.apply(
          new Changes()
              .state(StateRecords.staged(configNumber, sender, key), RocksPersistence.encode(value)),
          false);
    }
    staging.computeIfAbsent(new Batch(configNumber, sender), b -> new ConcurrentHashMap<>())
        .put(key, value);
  }

  /**
   * Installs the keys {@code done} announces, once the sender confirmed it; idempotent.
   *
   * @throws io.grpc.StatusRuntimeException {@code FAILED_PRECONDITION} if it is no handoff to this
   *     server, the sender does not confirm it, or the staged keys are not exactly those sent (then
   *     they are dropped and the sender sends them all again)
   */
  void complete(HandoffDone done) {
    long number = done.getConfigNum();
    String sender = number < 1 ? done.getSender() : senderName(number, done.getSender());
    Batch batch = new Batch(number, sender);
    List<ShardRange> ranges = new ArrayList<>();
    for (Shard shard : done.getShardsList()) {
      ranges.add(ProtoConfigurations.fromProto(shard));
    }
    IdSet ids = IdSet.of(ranges);
    checkHandoff(done.getConfigNum(), done.getSender(), ids);
    if (!nameIn(number, done.getReceiver()).equals(nameIn(number, self))) {
      throw Status.FAILED_PRECONDITION
          .withDescription("handoff is addressed to " + Quote.of(done.getReceiver()) + ", not " + self)
          .asRuntimeException();
    }
    if (!protect || installed.contains(batch)) {
      return;
    }
    confirmWithSender.accept(done);
    synchronized (this) {
      if (installed.contains(batch)) {
        return;
      }
      Map<String, StoredValue> keys = new HashMap<>(staging.getOrDefault(batch, Map.of()));
      boolean outside = keys.keySet().stream().anyMatch(key -> !ids.contains(KeyId.of(key)));
      if (keys.size() != done.getKeyCount()
          || outside
          || HandoffDigest.of(keys.entrySet()) != done.getDigest()) {
        // Start this batch over: whatever is staged cannot be trusted, and the sender sends it all again.
        staging.remove(batch);
        Changes drop = new Changes();
        keys.keySet()
            .forEach(
                key -> drop.state(StateRecords.staged(batch.configNumber(), batch.sender(), key), null));
        persistence.apply(drop, false);
        throw Status.FAILED_PRECONDITION
            .withDescription(
                self + " staged " + keys.size() + " keys of " + ids + " from " + done.getSender()
                    + " for configuration #" + done.getConfigNum() + ", not the "
                    + done.getKeyCount() + " sent; send them again")
            .asRuntimeException();
      }
      Changes alongside =
          new Changes()
              .state(StateRecords.installed(batch.configNumber(), batch.sender()), new byte[0]);
      if (persistence.durable()) {
        keys.keySet()
            .forEach(
                key ->
                    alongside.state(
                        StateRecords.staged(batch.configNumber(), batch.sender(), key), null));
      }
      install.install(done.getConfigNum(), sender, ids, keys, alongside);
      installed.add(batch);
      staging.remove(batch);
    }
    log.info(
        "{}: received {} keys of {} from {} for configuration #{}",
        self, done.getKeyCount(), ids, done.getSender(), done.getConfigNum());
    onInstalled.run();
  }
}
