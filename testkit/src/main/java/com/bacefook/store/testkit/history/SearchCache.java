package com.bacefook.store.testkit.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations the search has already explored: which operations are linearized, and the state
 * they leave.
 *
 * <p>Operations with an unknown outcome need not be linearized, so a configuration that has linearized
 * more of them (and the same of the others) can do no better than one that has linearized fewer: it
 * counts as explored too. And some unknown operations are interchangeable, all deletes, and all ghosts
 * (writes no pending read can see, {@link PendingReads}); of those only how many were used matters.
 */
final class SearchCache {
  private final int completed;
  private final int total;
  private final Operation[] ops;
  private final PendingReads readers;
  /** For each (known operations linearized, state): the unknown ones used with it, pairwise incomparable. */
  private final Map<Key, List<Used>> seen = new HashMap<>();

  /** Operations {@code [0, completed)} of {@code ops} have known outcomes, the rest unknown ones. */
  SearchCache(Operation[] ops, int completed, PendingReads readers) {
    this.ops = ops;
    this.completed = completed;
    this.total = ops.length;
    this.readers = readers;
  }

  /**
   * Records a configuration, with {@code readers} up to date for it; returns false if it (or one at
   * least as good) was seen before.
   */
  boolean visit(BitSet linearized, String state) {
    int first = linearized.nextClearBit(0);
    long[] rest = first >= completed ? new long[0] : linearized.get(first, completed).toLongArray();
    Key key = new Key(Math.min(first, completed), rest, state);
    Used used = used(linearized);
    List<Used> all = seen.get(key);
    if (all == null) {
      all = new ArrayList<>(1);
      seen.put(key, all);
    } else {
      for (Used old : all) {
        if (old.atMost(used)) {
          return false;
        }
      }
      all.removeIf(used::atMost);
    }
    all.add(used);
    return true;
  }

  private Used used(BitSet linearized) {
    BitSet distinct = new BitSet();
    int ghosts = 0;
    int deletes = 0;
    for (int op = linearized.nextSetBit(completed); op >= 0 && op < total;
        op = linearized.nextSetBit(op + 1)) {
      if (ops[op].kind() == Operation.Kind.DELETE) {
        deletes++;
      } else if (readers.isGhost(op)) {
        ghosts++;
      } else {
        distinct.set(op - completed);
      }
    }
    return new Used(distinct.toLongArray(), ghosts, deletes);
  }

  /** The unknown operations a configuration used: those that matter by name, and counts of the rest. */
  private record Used(long[] distinct, int ghosts, int deletes) {
    /** Returns whether this leaves at least as many options as {@code other}. */
    boolean atMost(Used other) {
      if (ghosts > other.ghosts || deletes > other.deletes || distinct.length > other.distinct.length) {
        return false; // toLongArray trims, so a longer array has a bit beyond the other's last word
      }
      for (int i = 0; i < distinct.length; i++) {
        if ((distinct[i] & ~other.distinct[i]) != 0) {
          return false;
        }
      }
      return true;
    }
  }

  /** The linearized known-outcome operations (those below {@code first}, plus {@code rest}) and the state. */
  private static final class Key {
    private final int first;
    private final long[] rest;
    private final String state;
    private final int hash;

    Key(int first, long[] rest, String state) {
      this.first = first;
      this.rest = rest;
      this.state = state;
      this.hash = (first * 31 + Arrays.hashCode(rest)) * 31 + (state == null ? 0 : state.hashCode());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key other
          && hash == other.hash
          && first == other.first
          && Arrays.equals(rest, other.rest)
          && sameState(state, other.state);
    }

    private static boolean sameState(String a, String b) {
      if (a == b) {
        return true;
      }
      return a != null && b != null && !RegisterModel.isMarker(a) && !RegisterModel.isMarker(b)
          && a.equals(b);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
