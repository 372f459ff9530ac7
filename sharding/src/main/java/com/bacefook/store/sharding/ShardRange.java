package com.bacefook.store.sharding;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;

/** An inclusive range {@code [lower, upper]} of key IDs within {@code [0, 1000]}. */
public record ShardRange(int lower, int upper) {
  /** The whole key space, {@code [0, 1000]}. */
  public static final ShardRange ALL = new ShardRange(KeyId.MIN, KeyId.MAX);

  /** Validates the bounds; use {@link #validated} for input that comes from users. */
  public ShardRange {
    Preconditions.checkArgument(
        KeyId.isValid(lower) && KeyId.isValid(upper) && lower <= upper,
        "bad range [%s, %s]: need 0 <= lower <= upper <= 1000", lower, upper);
  }

  /**
   * Returns the range {@code [lower, upper]}, or throws an {@link IllegalArgumentException} that says what
   * is wrong with bounds that came from outside (wire values are unsigned, hence {@code long}).
   */
  public static ShardRange validated(long lower, long upper) {
    if (!KeyId.isValid(lower) || !KeyId.isValid(upper)) {
      throw new IllegalArgumentException(
          "bad range [" + lower + ", " + upper + "]: IDs must lie in [0, 1000]");
    }
    if (lower > upper) {
      throw new IllegalArgumentException(
          "bad range [" + lower + ", " + upper + "]: lower is greater than upper");
    }
    return new ShardRange((int) lower, (int) upper);
  }

  /** Returns how many IDs the range holds. */
  public int size() {
    return upper - lower + 1;
  }

  /** Returns whether {@code id} lies in this range. */
  public boolean contains(int id) {
    return lower <= id && id <= upper;
  }

  /** Returns whether this range and {@code other} share at least one ID. */
  public boolean overlaps(ShardRange other) {
    return lower <= other.upper && other.lower <= upper;
  }

  /**
   * Returns what is left of this range once {@code cut} is taken out of it: nothing, one piece, or two
   * pieces (lower piece first).
   */
  public List<ShardRange> minus(ShardRange cut) {
    List<ShardRange> left = new ArrayList<>(2);
    if (!overlaps(cut)) {
      left.add(this);
      return left;
    }
    if (lower < cut.lower) {
      left.add(new ShardRange(lower, cut.lower - 1));
    }
    if (cut.upper < upper) {
      left.add(new ShardRange(cut.upper + 1, upper));
    }
    return left;
  }

  @Override
  public String toString() {
    return "[" + lower + "," + upper + "]";
  }
}
