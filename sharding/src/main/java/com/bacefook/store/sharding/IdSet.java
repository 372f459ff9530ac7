package com.bacefook.store.sharding;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/** An immutable set of key IDs, such as the IDs a server gains or loses between two configurations. */
public final class IdSet {
  /** The empty set. */
  public static final IdSet EMPTY = new IdSet(new BitSet());

  private final BitSet ids;

  private IdSet(BitSet ids) {
    this.ids = ids;
  }

  /** Returns the IDs covered by {@code ranges}. */
  public static IdSet of(Collection<ShardRange> ranges) {
    BitSet ids = new BitSet(KeyId.COUNT);
    for (ShardRange range : ranges) {
      ids.set(range.lower(), range.upper() + 1);
    }
    return new IdSet(ids);
  }

  /** Returns the IDs {@code server} owns in {@code config}. */
  public static IdSet ownedBy(Configuration config, String server) {
    return of(config.rangesOf(server));
  }

  /** Returns whether {@code id} is in the set. */
  public boolean contains(int id) {
    return ids.get(id);
  }

  /** Returns whether the set is empty. */
  public boolean isEmpty() {
    return ids.isEmpty();
  }

  /** Returns how many IDs the set holds. */
  public int size() {
    return ids.cardinality();
  }

  /** Returns the IDs in this set and not in {@code other}. */
  public IdSet minus(IdSet other) {
    BitSet result = (BitSet) ids.clone();
    result.andNot(other.ids);
    return new IdSet(result);
  }

  /** Returns the IDs in this set or in {@code other}. */
  public IdSet union(IdSet other) {
    BitSet result = (BitSet) ids.clone();
    result.or(other.ids);
    return new IdSet(result);
  }

  /** Returns the IDs in both sets. */
  public IdSet intersection(IdSet other) {
    BitSet result = (BitSet) ids.clone();
    result.and(other.ids);
    return new IdSet(result);
  }

  /** Returns the set as the fewest ranges, in ascending order. */
  public List<ShardRange> ranges() {
    List<ShardRange> ranges = new ArrayList<>();
    int lower = ids.nextSetBit(0);
    while (lower >= 0) {
      int end = ids.nextClearBit(lower);
      ranges.add(new ShardRange(lower, end - 1));
      lower = ids.nextSetBit(end);
    }
    return ranges;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdSet other && ids.equals(other.ids);
  }

  @Override
  public int hashCode() {
    return ids.hashCode();
  }

  @Override
  public String toString() {
    return ranges().toString();
  }
}
