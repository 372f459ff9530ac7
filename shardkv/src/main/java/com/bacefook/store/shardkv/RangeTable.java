package com.bacefook.store.shardkv;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ShardRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The state of every key ID on one server, and every way it can change: the range state machine.
 *
 * <p>Each ID is in one {@link State}. The only ways out of a state are the four transitions below,
 * each named after its cause; nothing else changes an ID's state.
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>cause</th><th>to</th><th>when</th></tr>
 *   <tr><td>NOT_OWNED</td><td>{@link #configurationApplied}</td><td>SERVING</td>
 *       <td>gained, and nobody owned it before (or its handoff arrived early, or safe handoff is off)</td></tr>
 *   <tr><td>NOT_OWNED, SENDING</td><td>{@link #configurationApplied}</td><td>WAITING</td>
 *       <td>gained from a previous owner</td></tr>
 *   <tr><td>SERVING</td><td>{@link #configurationApplied}</td><td>SENDING</td><td>lost to a new owner</td></tr>
 *   <tr><td>SERVING</td><td>{@link #configurationApplied}</td><td>NOT_OWNED</td>
 *       <td>lost, and nobody owns it now (its keys stay here)</td></tr>
 *   <tr><td>WAITING</td><td>{@link #handoffInstalled}</td><td>SERVING</td><td>the previous owner's keys are in</td></tr>
 *   <tr><td>WAITING</td><td>{@link #timeout}</td><td>SERVING</td><td>no progress from the previous owner for the timeout
 *       (the caller notes a sender that is still there as progress first: see {@link SenderLiveness})</td></tr>
 *   <tr><td>SENDING</td><td>{@link #handoffConfirmed}</td><td>NOT_OWNED</td>
 *       <td>the new owner acknowledged the handoff and the keys here were deleted</td></tr>
 * </table>
 *
 * <p>Refused: applying a configuration that is not the next one, or while any ID is WAITING (a server
 * steps past a configuration only once everything it gained there arrived); a handoff installed or
 * confirmed for IDs that are not WAITING for it, or not SENDING in it, changes nothing for them.
 *
 * <p>Immutable: every transition returns a new table, and takes the time as an argument, so the same
 * transitions replayed in the same order give the same table (as a replicated log would).
 */
final class RangeTable {
  /** What a server does with one key ID. */
  enum State {
    /** Not this server's: requests get {@code FAILED_PRECONDITION} naming the owner. */
    NOT_OWNED,
    /** Owned in the applied configuration, waiting for the previous owner's keys: {@code UNAVAILABLE}. */
    WAITING,
    /** Owned and served. */
    SERVING,
    /** Lost in the applied configuration; keys held until the new owner confirms the handoff. */
    SENDING;

    /** The name the Status RPC shows. */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The state of one ID: for WAITING and SENDING, the peer (old owner, new owner) and the configuration
   * of that handoff; NOT_OWNED and SERVING carry neither, so neighbouring runs merge.
   */
  record Entry(State state, String peer, long configNumber) {
    static final Entry NOT_OWNED = new Entry(State.NOT_OWNED, "", 0);
    static final Entry SERVING = new Entry(State.SERVING, "", 0);
  }

  /** A handoff as the table sees it: IDs moving in {@code configNumber}, from or to {@code peer}. */
  record Handoff(long configNumber, String peer, IdSet ids) {}

  /** A run of IDs in the same {@link Entry}, for the Status RPC. */
  record RangeState(ShardRange range, Entry entry) {}

  /** The result of {@link #configurationApplied}: the new table, what to send and what to wait for. */
  record Applied(RangeTable table, List<Handoff> sending, List<Handoff> waiting) {}

  /** The result of {@link #timeout}: the new table and the handoffs given up on. */
  record TimedOut(RangeTable table, List<Handoff> expired) {}

  private record HandoffId(long configNumber, String peer) {}

  private final String self;
  private final Configuration applied;
  private final Entry[] entries;
  /** When each waited-for handoff last made progress, in ticker nanoseconds. */
  private final Map<HandoffId, Long> progressAt;
  /** Handoffs installed for configurations not applied yet, by configuration number. */
  private final Map<Long, IdSet> early;

  private RangeTable(
      String self,
      Configuration applied,
      Entry[] entries,
      Map<HandoffId, Long> progressAt,
      Map<Long, IdSet> early) {
    this.self = self;
    this.applied = applied;
    this.entries = entries;
    this.progressAt = Map.copyOf(progressAt);
    this.early = Map.copyOf(early);
  }

  /** The table of a fresh server: configuration #0, nothing owned. */
  static RangeTable empty(String self) {
    Entry[] entries = new Entry[KeyId.COUNT];
    Arrays.fill(entries, Entry.NOT_OWNED);
    return new RangeTable(self, Configuration.EMPTY, entries, Map.of(), Map.of());
  }

  /**
   * The table a restarted server had: {@code applied}, the handoffs it waited for and was sending,
   * and the early arrivals; waits start again at {@code now}.
   */
  static RangeTable restored(
      String self,
      Configuration applied,
      List<Handoff> waiting,
      List<Handoff> sending,
      Map<Long, IdSet> early,
      long now) {
    Entry[] entries = new Entry[KeyId.COUNT];
    Arrays.fill(entries, Entry.NOT_OWNED);
    IdSet owned = IdSet.ownedBy(applied, self);
    for (int id = 0; id < entries.length; id++) {
      if (owned.contains(id)) {
        entries[id] = Entry.SERVING;
      }
    }
    for (Handoff h : sending) {
      set(entries, h.ids().minus(owned), new Entry(State.SENDING, h.peer(), h.configNumber()));
    }
    Map<HandoffId, Long> progressAt = new HashMap<>();
    for (Handoff h : waiting) {
      set(entries, h.ids().intersection(owned), new Entry(State.WAITING, h.peer(), h.configNumber()));
      progressAt.put(new HandoffId(h.configNumber(), h.peer()), now);
    }
    return new RangeTable(self, applied, entries, progressAt, early);
  }

  /** The configuration this table acts on. */
  Configuration applied() {
    return applied;
  }

  /** The state of {@code id}. */
  Entry entry(int id) {
    return entries[id];
  }

  /** The IDs served now. */
  IdSet served() {
    return idsIn(State.SERVING);
  }

  /** The handoffs waited for, one per configuration and old owner. */
  List<Handoff> waiting() {
    return group(State.WAITING);
  }

  /** The handoffs being sent, one per configuration and new owner. */
  List<Handoff> sending() {
    return group(State.SENDING);
  }

  /** Handoffs installed for configurations not applied yet. */
  Map<Long, IdSet> early() {
    return early;
  }

  /** Every run of IDs that is not {@code NOT_OWNED}, in ID order. */
  List<RangeState> ranges() {
    List<RangeState> runs = new ArrayList<>();
    int start = 0;
    for (int id = 1; id <= entries.length; id++) {
      if (id == entries.length || !entries[id].equals(entries[start])) {
        if (entries[start].state() != State.NOT_OWNED) {
          runs.add(new RangeState(new ShardRange(start, id - 1), entries[start]));
        }
        start = id;
      }
    }
    return runs;
  }

  /** How many runs of IDs are in {@code state} (see {@link #ranges}). */
  int rangeCount(State state) {
    return (int) ranges().stream().filter(r -> r.entry().state() == state).count();
  }

  /**
   * Cause: the configuration {@code next} was applied. Lost IDs stop being served at once (SENDING, or
   * NOT_OWNED if nobody owns them now); gained IDs that had an owner wait for it, unless their handoff
   * arrived early or {@code protect} is off (a test-only switch: serve at once, as naive migration
   * does).
   *
   * @throws IllegalStateException if {@code next} is not the next configuration or an ID is WAITING
   */
  Applied configurationApplied(Configuration next, boolean protect, long now) {
    if (next.number() != applied.number() + 1) {
      throw new IllegalStateException(
          self + " acts on configuration #" + applied.number() + " and cannot apply #" + next.number());
    }
    if (!idsIn(State.WAITING).isEmpty()) {
      throw new IllegalStateException(
          self + " still waits for " + waiting() + " and cannot apply configuration #" + next.number());
    }
    IdSet arrived = early.getOrDefault(next.number(), IdSet.EMPTY);
    Entry[] after = entries.clone();
    Map<HandoffId, Long> progress = new HashMap<>();
    for (int id = 0; id < after.length; id++) {
      boolean ownedBefore = applied.isOwner(self, id);
      boolean ownedAfter = next.isOwner(self, id);
      State state = entries[id].state();
      if (ownedBefore && !ownedAfter) {
        after[id] =
            next.ownerOf(id)
                .map(owner -> new Entry(State.SENDING, owner, next.number()))
                .orElse(Entry.NOT_OWNED);
      } else if (!ownedBefore && ownedAfter) {
        String previous = applied.ownerOf(id).orElse(null);
        if (previous == null || !protect || arrived.contains(id)) {
          after[id] = Entry.SERVING;
        } else {
          after[id] = new Entry(State.WAITING, previous, next.number());
          progress.put(new HandoffId(next.number(), previous), now);
        }
      } else if (ownedAfter && state != State.SERVING) {
        throw new IllegalStateException("ID " + id + " owned in both configurations but " + state);
      }
    }
    Map<Long, IdSet> laterArrivals = new HashMap<>(early);
    laterArrivals.keySet().removeIf(number -> number <= next.number());
    RangeTable table = new RangeTable(self, next, after, progress, laterArrivals);
    List<Handoff> sending =
        table.sending().stream().filter(h -> h.configNumber() == next.number()).toList();
    return new Applied(table, sending, table.waiting());
  }

  /**
   * Cause: the handoff of {@code ids} from {@code from} in configuration {@code configNumber} was
   * installed. IDs WAITING for exactly it are served; for a configuration not applied yet it is
   * remembered, so those IDs will not wait.
   */
  RangeTable handoffInstalled(long configNumber, String from, IdSet ids) {
    if (configNumber > applied.number()) {
      Map<Long, IdSet> arrivals = new HashMap<>(early);
      arrivals.merge(configNumber, ids, IdSet::union);
      return new RangeTable(self, applied, entries, progressAt, arrivals);
    }
    Entry waitingFor = new Entry(State.WAITING, from, configNumber);
    Entry[] after = replace(ids, waitingFor, Entry.SERVING);
    return new RangeTable(self, applied, after, stillWaited(after), early);
  }

  /**
   * Cause: the new owner {@code to} acknowledged the handoff of {@code ids} in configuration {@code
   * configNumber}, and the keys here were deleted. IDs SENDING in exactly it are no longer held.
   */
  RangeTable handoffConfirmed(long configNumber, String to, IdSet ids) {
    Entry[] after = replace(ids, new Entry(State.SENDING, to, configNumber), Entry.NOT_OWNED);
    return new RangeTable(self, applied, after, progressAt, early);
  }

  /**
   * Notes progress of the handoff from {@code from} in {@code configNumber} at {@code now}: its wait
   * starts again, so a large handoff that is making progress never times out. Changes no state.
   */
  RangeTable progress(long configNumber, String from, long now) {
    HandoffId handoff = new HandoffId(configNumber, from);
    if (!progressAt.containsKey(handoff)) {
      return this;
    }
    Map<HandoffId, Long> progress = new HashMap<>(progressAt);
    progress.put(handoff, now);
    return new RangeTable(self, applied, entries, progress, early);
  }

  /**
   * Cause: a timeout. Every handoff waited for that made no progress for longer than {@code timeout}
   * before {@code now} is given up on: its IDs are served anyway.
   */
  TimedOut timeout(long now, Duration timeout) {
    List<Handoff> expired = overdue(now, timeout);
    Entry[] after = entries;
    for (Handoff h : expired) {
      after =
          replaceIn(
              after, h.ids(), new Entry(State.WAITING, h.peer(), h.configNumber()), Entry.SERVING);
    }
    if (expired.isEmpty()) {
      return new TimedOut(this, List.of());
    }
    return new TimedOut(new RangeTable(self, applied, after, stillWaited(after), early), expired);
  }

  /**
   * The handoffs waited for that made no progress for longer than {@code timeout} before {@code now}:
   * those {@link #timeout} would give up on. Changes nothing.
   */
  List<Handoff> overdue(long now, Duration timeout) {
    List<Handoff> overdue = new ArrayList<>();
    for (Handoff h : waiting()) {
      long since = progressAt.getOrDefault(new HandoffId(h.configNumber(), h.peer()), now);
      if (now - since > timeout.toNanos()) {
        overdue.add(h);
      }
    }
    return overdue;
  }

  private Map<HandoffId, Long> stillWaited(Entry[] after) {
    Map<HandoffId, Long> kept = new HashMap<>();
    for (Entry e : after) {
      HandoffId id = new HandoffId(e.configNumber(), e.peer());
      if (e.state() == State.WAITING && progressAt.containsKey(id)) {
        kept.put(id, progressAt.get(id));
      }
    }
    return kept;
  }

  private Entry[] replace(IdSet ids, Entry from, Entry to) {
    return replaceIn(entries, ids, from, to);
  }

  private static Entry[] replaceIn(Entry[] entries, IdSet ids, Entry from, Entry to) {
    Entry[] after = entries.clone();
    for (ShardRange range : ids.ranges()) {
      for (int id = range.lower(); id <= range.upper(); id++) {
        if (after[id].equals(from)) {
          after[id] = to;
        }
      }
    }
    return after;
  }

  private static void set(Entry[] entries, IdSet ids, Entry entry) {
    for (ShardRange range : ids.ranges()) {
      Arrays.fill(entries, range.lower(), range.upper() + 1, entry);
    }
  }

  private IdSet idsIn(State state) {
    List<ShardRange> ranges = new ArrayList<>();
    for (RangeState r : ranges()) {
      if (r.entry().state() == state) {
        ranges.add(r.range());
      }
    }
    return IdSet.of(ranges);
  }

  private List<Handoff> group(State state) {
    Map<HandoffId, List<ShardRange>> byHandoff = new TreeMap<>(
        Comparator.comparingLong(HandoffId::configNumber).thenComparing(HandoffId::peer));
    for (RangeState r : ranges()) {
      Entry e = r.entry();
      if (e.state() == state) {
        byHandoff.computeIfAbsent(new HandoffId(e.configNumber(), e.peer()), k -> new ArrayList<>())
            .add(r.range());
      }
    }
    List<Handoff> handoffs = new ArrayList<>();
    byHandoff.forEach((id, ranges) -> handoffs.add(new Handoff(id.configNumber(), id.peer(), IdSet.of(ranges))));
    return handoffs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RangeTable other
        && self.equals(other.self)
        && applied.equals(other.applied)
        && Arrays.equals(entries, other.entries)
        && early.equals(other.early);
  }

  @Override
  public int hashCode() {
    return Objects.hash(self, applied, Arrays.hashCode(entries), early);
  }

  @Override
  public String toString() {
    Map<String, List<String>> shown = new LinkedHashMap<>();
    for (RangeState r : ranges()) {
      shown.computeIfAbsent(r.entry().state().label(), k -> new ArrayList<>())
          .add(r.range() + (r.entry().peer().isEmpty() ? "" : " " + r.entry().peer()));
    }
    return self + "@#" + applied.number() + shown;
  }
}
