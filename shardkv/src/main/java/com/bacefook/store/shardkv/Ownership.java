package com.bacefook.store.shardkv;

import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a server decides whether it serves a key, and the state of its handoffs.
 *
 * <p>A key is served when its ID is owned in the <em>applied</em> configuration and is not waiting for
 * a handoff. Operations run under the read lock ({@link #serve}); configuration changes and handoff
 * installs take the write lock, so no operation on a range straddles the moment the range is lost or
 * arrives. Nothing here sends an RPC.
 */
final class Ownership {
  private static final Logger log = LoggerFactory.getLogger(Ownership.class);

  /** A range this server owns but does not serve until {@code from} hands it over. */
  record Pending(IdSet ids, String from, long configNumber, long sinceNanos) {}

  /** What a step to the next configuration takes away: the IDs lost, grouped by their new owner. */
  record Transition(Configuration next, Map<String, IdSet> lostTo, List<Pending> waiting) {}

  private final String self;
  private final boolean protect;
  private final Persistence persistence;
  /** What a restarted server acted on before, until {@link #restore} puts it back; else null. */
  private volatile StateRecords.SavedOwnership saved;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile Configuration applied = Configuration.EMPTY;
  private volatile Configuration latest = Configuration.EMPTY;
  /** Ranges owned in the applied configuration but not yet handed over. Guarded by the write lock. */
  private volatile List<Pending> pending = List.of();
  /** Handoffs installed for configurations not applied yet, by configuration number. */
  private final Map<Long, IdSet> early = new HashMap<>();

  /**
   * Creates the ownership of {@code self}, which keeps its state in {@code persistence} and resumes
   * from {@code saved} (null for a fresh server). With {@code protect} false (a test-only switch),
   * gained ranges are served at once, as naive heartbeat migration does.
   */
  Ownership(
      String self, boolean protect, Persistence persistence, StateRecords.SavedOwnership saved) {
    this.self = self;
    this.protect = protect;
    this.persistence = persistence;
    this.saved = saved != null && saved.applied() > 0 ? saved : null;
  }

  /** The number of the configuration a restarted server must {@link #restore}, or -1 if none. */
  long toRestore() {
    StateRecords.SavedOwnership s = saved;
    return s == null ? -1 : s.applied();
  }

  /** Puts back what a restarted server acted on: {@code config}, numbered {@link #toRestore()}. */
  void restore(Configuration config) {
    lock.writeLock().lock();
    try {
      StateRecords.SavedOwnership s = saved;
      if (s == null || config.number() != s.applied()) {
        throw new IllegalStateException("restore needs configuration #" + toRestore());
      }
      applied = config;
      heardOf(config);
      pending = List.copyOf(s.pending());
      early.putAll(s.early());
      saved = null;
      log.info("{}: resumed at configuration #{}; waiting for {}", self, config.number(), pending);
    } finally {
      lock.writeLock().unlock();
    }
  }

  String self() {
    return self;
  }

  /** The configuration this server acts on. */
  Configuration applied() {
    return applied;
  }

  /** The newest configuration this server has heard of. */
  Configuration latest() {
    return latest;
  }

  void heardOf(Configuration config) {
    if (config.number() > latest.number()) {
      latest = config;
    }
  }

  /** Returns the ranges still waiting for a handoff. */
  List<Pending> pending() {
    return pending;
  }

  /**
   * Runs {@code operation} with the ID of {@code key} if this server serves it, under the read lock.
   *
   * @throws com.bacefook.store.sharding.InvalidKeyException if the key is malformed
   * @throws io.grpc.StatusRuntimeException a refusal ({@code FAILED_PRECONDITION} naming the owner, or
   *     {@code UNAVAILABLE} while the range's handoff is under way); nothing was applied
   */
  <T> T serve(String key, IntFunction<T> operation) {
    int id = KeyId.of(key);
    lock.readLock().lock();
    try {
      check(key, id);
      return operation.apply(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Returns the IDs this server serves right now. */
  IdSet served() {
    IdSet served = IdSet.ownedBy(applied, self);
    for (Pending p : pending) {
      served = served.minus(p.ids());
    }
    return served;
  }

  private void check(String key, int id) {
    Configuration config = applied;
    if (!config.isOwner(self, id)) {
      Configuration newest = latest.number() > config.number() ? latest : config;
      throw Refusals.wrongOwner(key, id, self, config.number(), newest.ownerOf(id));
    }
    Optional<Pending> waiting = waitingFor(id);
    if (waiting.isPresent()) {
      Pending p = waiting.get();
      throw Refusals.notReady(
          "key " + Quote.of(key) + " (ID " + id + ") is moving to " + self + " in configuration #"
              + p.configNumber() + "; waiting for " + p.from() + " to hand over " + p.ids()
              + "; retry shortly");
    }
  }

  private Optional<Pending> waitingFor(int id) {
    for (Pending p : pending) {
      if (p.ids().contains(id)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Steps from the applied configuration to {@code next}, the one numbered after it. Lost ranges stop
   * being served at once; gained ranges that had an owner wait for its handoff.
   */
  Transition advance(Configuration next) {
    lock.writeLock().lock();
    try {
      Configuration current = applied;
      IdSet before = IdSet.ownedBy(current, self);
      IdSet after = IdSet.ownedBy(next, self);
      Map<String, IdSet> lostTo = split(before.minus(after), next);
      IdSet alreadyArrived = early.getOrDefault(next.number(), IdSet.EMPTY);
      Map<String, IdSet> gainedFrom =
          protect ? split(after.minus(before).minus(alreadyArrived), current) : new TreeMap<>();
      gainedFrom.remove(self);
      early.keySet().removeIf(number -> number <= next.number());
      long now = System.nanoTime();
      List<Pending> waiting = new ArrayList<>();
      gainedFrom.forEach((from, ids) -> waiting.add(new Pending(ids, from, next.number(), now)));
      pending = List.copyOf(waiting);
      applied = next;
      heardOf(next);
      Changes changes = new Changes();
      lostTo.forEach((target, ids) -> changes.state(StateRecords.outgoing(next.number(), target), StateRecords.encode(ids)));
      persist(changes);
      return new Transition(next, lostTo, waiting);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Runs {@code install} under the write lock for a handoff of {@code ids} in configuration {@code
   * configNumber}, and records it as arrived. {@code install} is told which IDs are served already
   * (their handoff came after its timeout): there it must not overwrite what clients wrote since.
   */
  void install(long configNumber, IdSet ids, Consumer<IdSet> install, Changes alongside) {
    lock.writeLock().lock();
    try {
      install.accept(served());
      if (configNumber > applied.number()) {
        early.merge(configNumber, ids, IdSet::union);
      } else {
        List<Pending> left = new ArrayList<>();
        for (Pending p : pending) {
          IdSet rest = p.configNumber() == configNumber ? p.ids().minus(ids) : p.ids();
          if (!rest.isEmpty()) {
            left.add(new Pending(rest, p.from(), p.configNumber(), p.sinceNanos()));
          }
        }
        pending = List.copyOf(left);
      }
      persist(alongside);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Notes that keys of a handoff from {@code from} for configuration {@code configNumber} arrived: its
   * wait's timeout starts again, so a large handoff that is making progress is never given up on.
   */
  void progress(long configNumber, String from) {
    if (pending.stream().noneMatch(p -> p.configNumber() == configNumber && p.from().equals(from))) {
      return;
    }
    lock.writeLock().lock();
    try {
      long now = System.nanoTime();
      List<Pending> touched = new ArrayList<>();
      for (Pending p : pending) {
        boolean match = p.configNumber() == configNumber && p.from().equals(from);
        touched.add(match ? new Pending(p.ids(), p.from(), p.configNumber(), now) : p);
      }
      pending = List.copyOf(touched);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Stops waiting for handoffs that have shown no progress for {@code timeout}; returns what was given
   * up on.
   */
  List<Pending> expire(Duration timeout) {
    if (pending.isEmpty()) {
      return List.of();
    }
    lock.writeLock().lock();
    try {
      long now = System.nanoTime();
      List<Pending> kept = new ArrayList<>();
      List<Pending> expired = new ArrayList<>();
      for (Pending p : pending) {
        (now - p.sinceNanos() > timeout.toNanos() ? expired : kept).add(p);
      }
      pending = List.copyOf(kept);
      persist(new Changes());
      for (Pending p : expired) {
        log.error(
            "{}: no handoff of {} from {} for configuration #{} after {} ms; serving it anyway."
                + " Keys written there before the move may be missing until {} delivers them",
            self, p.ids(), p.from(), p.configNumber(), timeout.toMillis(), p.from());
      }
      return expired;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Writes the ownership state with {@code changes}, synced. Call under the write lock. */
  private void persist(Changes changes) {
    changes.state(
        StateRecords.OWNERSHIP,
        StateRecords.encode(new StateRecords.SavedOwnership(applied.number(), pending, Map.copyOf(early))));
    persistence.apply(changes, true);
  }

  /** Splits {@code ids} by their owner in {@code config}; IDs nobody owns are left out. */
  private static Map<String, IdSet> split(IdSet ids, Configuration config) {
    Map<String, IdSet> byOwner = new TreeMap<>();
    for (String server : config.serverNames()) {
      IdSet part = ids.intersection(IdSet.ownedBy(config, server));
      if (!part.isEmpty()) {
        byOwner.put(server, part);
      }
    }
    return byOwner;
  }
}
