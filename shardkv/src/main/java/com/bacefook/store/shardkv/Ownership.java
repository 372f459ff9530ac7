package com.bacefook.store.shardkv;

import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a server decides whether it serves a key: it holds the server's {@link RangeTable}
 * (the state of each range and all its transitions), keeps it durable, and refuses keys it does not
 * serve.
 *
 * <p>Operations run under the read lock ({@link #serve}); a new table is swapped in under the write
 * lock, so no operation on a range straddles the moment the range is lost or arrives. The write lock is
 * held only for the swap: transitions are computed, written to {@link Persistence} and (for an
 * install) applied to the store under a separate mutex that orders transitions, while requests for
 * every other range go on. Nothing here sends an RPC.
 */
final class Ownership {
  private static final Logger log = LoggerFactory.getLogger(Ownership.class);

  /** What a step to the next configuration means: what to send, and what to wait for. */
  record Transition(Configuration next, List<RangeTable.Handoff> sending, List<RangeTable.Handoff> waiting) {}

  private final String self;
  private final boolean protect;
  private final Persistence persistence;
  private final Ticker ticker;
  /** What a restarted server acted on before, until {@link #restore} puts it back; else null. */
  private volatile StateRecords.SavedOwnership saved;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Orders transitions; held while one is computed, persisted and (installs) stored. */
  private final Object transitions = new Object();
  private volatile RangeTable table;
  private final AtomicReference<Configuration> latest = new AtomicReference<>(Configuration.EMPTY);

  /**
   * Creates the ownership of {@code self}, which keeps its state in {@code persistence} and resumes
   * from {@code saved} (null for a fresh server); handoff timeouts are measured on {@code ticker}. With
   * {@code protect} false (a test-only switch), gained ranges are served at once, as naive heartbeat
   * migration does.
   */
  Ownership(
      String self,
      boolean protect,
      Persistence persistence,
      StateRecords.SavedOwnership saved,
      Ticker ticker) {
    this.self = self;
    this.protect = protect;
    this.persistence = persistence;
    this.ticker = ticker;
    this.saved = saved != null && saved.applied() > 0 ? saved : null;
    this.table = RangeTable.empty(self);
  }

  /** The number of the configuration a restarted server must {@link #restore}, or -1 if none. */
  long toRestore() {
    StateRecords.SavedOwnership s = saved;
    return s == null ? -1 : s.applied();
  }

  /**
   * Puts back what a restarted server acted on: {@code config}, numbered {@link #toRestore()}, with the
   * handoffs it still had to send ({@code sending}, from its {@code outgoing} records).
   */
  void restore(Configuration config, List<RangeTable.Handoff> sending) {
    synchronized (transitions) {
      StateRecords.SavedOwnership s = saved;
      if (s == null || config.number() != s.applied()) {
        throw new IllegalStateException("restore needs configuration #" + toRestore());
      }
      swap(RangeTable.restored(self, config, s.pending(), sending, s.early(), ticker.read()));
      heardOf(config);
      saved = null;
      log.info("{}: resumed at configuration #{}: {}", self, config.number(), table);
    }
  }

  /**
   * Replaces the whole state by a replica group's snapshot of it: acting on {@code config}, waiting for
   * {@code waiting}, sending {@code sending}, with the {@code early} arrivals; waits start again now.
   */
  void reset(
      Configuration config,
      List<RangeTable.Handoff> waiting,
      List<RangeTable.Handoff> sending,
      Map<Long, IdSet> early) {
    synchronized (transitions) {
      swap(RangeTable.restored(self, config, waiting, sending, early, ticker.read()));
      heardOf(config);
    }
  }

  String self() {
    return self;
  }

  /** The configuration this server acts on. */
  Configuration applied() {
    return table.applied();
  }

  /** The newest configuration this server has heard of. */
  Configuration latest() {
    return latest.get();
  }

  /** Notes that {@code config} exists; the latest configuration known never goes backwards. */
  void heardOf(Configuration config) {
    latest.accumulateAndGet(config, (known, heard) -> heard.number() > known.number() ? heard : known);
  }

  /** The state of every range now. */
  RangeTable table() {
    return table;
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
      check(key, id, table);
      return operation.apply(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Returns the IDs this server serves right now. */
  IdSet served() {
    return table.served();
  }

  /** Returns the handoffs this server waits for. */
  List<RangeTable.Handoff> waiting() {
    return table.waiting();
  }

  private void check(String key, int id, RangeTable now) {
    RangeTable.Entry entry = now.entry(id);
    Configuration config = now.applied();
    switch (entry.state()) {
      case SERVING -> {}
      case WAITING ->
          throw Refusals.notReady(
              "key " + Quote.of(key) + " (ID " + id + ") is moving to " + self + " in configuration #"
                  + entry.configNumber() + "; waiting for " + entry.peer() + " to hand it over; retry"
                  + " shortly");
      case NOT_OWNED, SENDING -> {
        Configuration known = latest.get();
        Configuration newest = known.number() > config.number() ? known : config;
        throw Refusals.wrongOwner(key, id, self, config.number(), newest.ownerOf(id));
      }
    }
  }

  /**
   * Transition "configuration applied": steps from the applied configuration to {@code next}, the one
   * numbered after it. Lost ranges stop being served at once; gained ranges that had an owner wait for
   * its handoff. The step and the handoffs it starts are durable before anything changes.
   */
  Transition advance(Configuration next) {
    return advance(next, ticker.read());
  }

  /**
   * As {@link #advance(Configuration)}, at time {@code now} (a replica group's leader's ticker
   * reading, which every member applies alike).
   */
  Transition advance(Configuration next, long now) {
    synchronized (transitions) {
      RangeTable.Applied step = table.configurationApplied(next, protect, now);
      Changes changes = new Changes();
      step.sending()
          .forEach(h -> changes.state(StateRecords.outgoing(h.configNumber(), h.peer()), StateRecords.encode(h.ids())));
      persist(step.table(), changes);
      swap(step.table());
      heardOf(next);
      return new Transition(next, step.sending(), step.waiting());
    }
  }

  /**
   * Transition "handoff installed" for {@code ids} from {@code from} in configuration {@code
   * configNumber}. First {@code install} puts the keys in the store, told which IDs are served already
   * (their wait timed out): there it must not overwrite what clients wrote since. It runs without the
   * write lock: the other IDs are not served, so no request touches them. Then {@code alongside} and
   * the new state are written, synced, and the IDs are served.
   */
  void install(long configNumber, String from, IdSet ids, Consumer<IdSet> install, Changes alongside) {
    synchronized (transitions) {
      install.accept(table.served());
      RangeTable next = table.handoffInstalled(configNumber, from, ids);
      persist(next, alongside);
      swap(next);
    }
  }

  /**
   * Transition "handoff confirmed": {@code to} acknowledged the handoff of {@code ids} in
   * configuration {@code configNumber} and the keys here are deleted (durably, by the caller).
   */
  void confirmed(long configNumber, String to, IdSet ids) {
    synchronized (transitions) {
      swap(table.handoffConfirmed(configNumber, to, ids));
    }
  }

  /**
   * Notes that keys of a handoff from {@code from} for configuration {@code configNumber} arrived: its
   * wait's timeout starts again, so a large handoff that is making progress is never given up on.
   */
  void progress(long configNumber, String from) {
    progress(configNumber, from, ticker.read());
  }

  /** As {@link #progress(long, String)}, at time {@code now} (a replica group's leader's reading). */
  void progress(long configNumber, String from, long now) {
    synchronized (transitions) {
      table = table.progress(configNumber, from, now);
    }
  }

  /**
   * Transition "timeout": stops waiting for handoffs that have shown no progress for {@code timeout};
   * returns what was given up on.
   */
  List<RangeTable.Handoff> expire(Duration timeout) {
    return expire(timeout, ticker.read());
  }

  /**
   * Returns the handoffs waited for that have shown no progress for {@code timeout} at time {@code
   * now}: those {@link #expire(Duration, long)} would give up on. Changes nothing.
   */
  List<RangeTable.Handoff> overdue(Duration timeout, long now) {
    RangeTable current = table;
    return current.waiting().isEmpty() ? List.of() : current.overdue(now, timeout);
  }

  /** Returns the time on this server's ticker, as transitions measure it. */
  long now() {
    return ticker.read();
  }

  /** As {@link #expire(Duration)}, at time {@code now} (a replica group's leader's reading). */
  List<RangeTable.Handoff> expire(Duration timeout, long now) {
    if (table.waiting().isEmpty()) {
      return List.of();
    }
    synchronized (transitions) {
      RangeTable.TimedOut result = table.timeout(now, timeout);
      if (result.expired().isEmpty()) {
        return List.of();
      }
      persist(result.table(), new Changes());
      swap(result.table());
      for (RangeTable.Handoff h : result.expired()) {
        log.warn(
            "{}: no handoff of {} from {} for configuration #{} after {} ms; serving it anyway."
                + " Keys written there before the move may be missing until {} delivers them",
            self, h.ids(), h.peer(), h.configNumber(), timeout.toMillis(), h.peer());
      }
      return result.expired();
    }
  }

  /** Swaps in {@code next} once no operation runs. Call holding {@link #transitions}. */
  private void swap(RangeTable next) {
    lock.writeLock().lock();
    try {
      table = next;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Writes {@code next}'s durable part with {@code changes}, synced. Call holding {@link #transitions}. */
  private void persist(RangeTable next, Changes changes) {
    changes.state(
        StateRecords.OWNERSHIP,
        StateRecords.encode(
            new StateRecords.SavedOwnership(next.applied().number(), next.waiting(), next.early())));
    persistence.apply(changes, true);
  }
}
