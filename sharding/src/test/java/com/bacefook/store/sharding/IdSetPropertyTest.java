package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link IdSet} and {@link ShardRange#minus}: every operation agrees with the same
 * operation on a {@link TreeSet} of the IDs, inputs are never changed, and {@link IdSet#ranges()} is
 * the shortest ascending list of ranges that covers exactly the set, so it round-trips.
 */
class IdSetPropertyTest {
  private static final int[] EDGES = {0, 1, 2, 63, 64, 65, 500, 501, 998, 999, 1000};

  /** Two lists of ranges. */
  private record Pair(List<ShardRange> left, List<ShardRange> right) {}

  @Test
  void setAlgebraAgreesWithATreeSetModel() {
    SeededCases.forAll(
        2_000,
        random -> new Pair(ranges(random), ranges(random)),
        pair -> {
          IdSet a = IdSet.of(pair.left());
          IdSet b = IdSet.of(pair.right());
          TreeSet<Integer> modelA = model(pair.left());
          TreeSet<Integer> modelB = model(pair.right());
          assertMatches(a, modelA);
          assertMatches(b, modelB);

          TreeSet<Integer> minus = new TreeSet<>(modelA);
          minus.removeAll(modelB);
          assertMatches(a.minus(b), minus);

          TreeSet<Integer> union = new TreeSet<>(modelA);
          union.addAll(modelB);
          assertMatches(a.union(b), union);

          TreeSet<Integer> intersection = new TreeSet<>(modelA);
          intersection.retainAll(modelB);
          assertMatches(a.intersection(b), intersection);

          assertMatches(a, modelA);
          assertMatches(b, modelB);
          assertThat(a.equals(b)).isEqualTo(modelA.equals(modelB));
          if (modelA.equals(modelB)) {
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
          }
        });
  }

  @Test
  void rangesAreTheShortestAscendingCoverAndRoundTrip() {
    SeededCases.forAll(
        2_000,
        IdSetPropertyTest::ranges,
        ranges -> {
          IdSet set = IdSet.of(ranges);
          List<ShardRange> compact = set.ranges();
          for (int i = 1; i < compact.size(); i++) {
            assertThat(compact.get(i).lower())
                .as("ranges %s are ascending, disjoint and not adjacent", compact)
                .isGreaterThan(compact.get(i - 1).upper() + 1);
          }
          IdSet again = IdSet.of(compact);
          assertThat(again).isEqualTo(set);
          assertThat(again.hashCode()).isEqualTo(set.hashCode());
          assertThat(again.ranges()).isEqualTo(compact);
          assertThat(compact.stream().mapToInt(ShardRange::size).sum()).isEqualTo(set.size());
          assertThat(set.toString()).isEqualTo(compact.toString());
        });
  }

  @Test
  void rangeMinusAgreesWithTheModel() {
    SeededCases.forAll(
        10_000,
        random -> List.of(range(random), range(random)),
        pair -> {
          ShardRange range = pair.get(0);
          ShardRange cut = pair.get(1);
          List<ShardRange> left = range.minus(cut);
          TreeSet<Integer> expected = model(List.of(range));
          expected.removeAll(model(List.of(cut)));
          assertThat(model(left)).isEqualTo(expected);
          assertThat(left.stream().mapToInt(ShardRange::size).sum()).isEqualTo(expected.size());
          assertThat(left).hasSizeLessThanOrEqualTo(2);
          if (left.size() == 2) {
            assertThat(left.get(0).upper()).isLessThan(left.get(1).lower());
          }
          assertThat(range.overlaps(cut)).isEqualTo(expected.size() < range.size());
          assertThat(cut.overlaps(range)).isEqualTo(range.overlaps(cut));
        });
  }

  private static TreeSet<Integer> model(List<ShardRange> ranges) {
    TreeSet<Integer> ids = new TreeSet<>();
    for (ShardRange range : ranges) {
      for (int id = range.lower(); id <= range.upper(); id++) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static void assertMatches(IdSet set, TreeSet<Integer> model) {
    assertThat(set.size()).as("size of %s", set).isEqualTo(model.size());
    assertThat(set.isEmpty()).isEqualTo(model.isEmpty());
    for (int id = KeyId.MIN; id <= KeyId.MAX; id++) {
      if (set.contains(id) != model.contains(id)) {
        throw new AssertionError(
            set + (set.contains(id) ? " contains " : " lacks ") + id + "; the model disagrees: " + model);
      }
    }
    if (!model(set.ranges()).equals(model)) {
      throw new AssertionError("ranges " + set.ranges() + " do not cover exactly " + model);
    }
  }

  /** Up to six ranges, often overlapping or adjacent. */
  private static List<ShardRange> ranges(SplittableRandom random) {
    List<ShardRange> ranges = new ArrayList<>();
    int count = random.nextInt(7);
    for (int i = 0; i < count; i++) {
      ranges.add(range(random));
    }
    return ranges;
  }

  /** A range biased to the edges of the key space and to small sizes, where off-by-ones live. */
  private static ShardRange range(SplittableRandom random) {
    int lower = random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)] : random.nextInt(KeyId.COUNT);
    int width = random.nextInt(5) < 3 ? random.nextInt(4) : random.nextInt(KeyId.COUNT);
    return new ShardRange(lower, Math.min(KeyId.MAX, lower + width));
  }
}
