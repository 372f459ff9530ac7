package com.bacefook.store.bench;

import com.bacefook.store.sharding.KeyId;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws key IDs from a set of IDs, uniformly or Zipf-distributed. For Zipf, rank 1 is the hottest and the
 * ranks are scattered over the IDs by a seeded shuffle (as YCSB's scrambled Zipfian does), so the hot IDs
 * are spread over the servers' ranges instead of all sitting at the bottom of the key space.
 */
final class IdDistribution {
  /** How key IDs are drawn. */
  enum Kind {
    UNIFORM,
    ZIPFIAN
  }

  private final int[] ids;
  /** For Zipf: cumulative probability of ranks 0..i; null for uniform. */
  private final double[] cdf;

  private IdDistribution(int[] ids, double[] cdf) {
    this.ids = ids;
    this.cdf = cdf;
  }

  /** Every ID of {@code [0, 1000]}. */
  static IdDistribution over(Kind kind, double zipfExponent, long seed) {
    int[] all = new int[KeyId.COUNT];
    for (int i = 0; i < all.length; i++) {
      all[i] = KeyId.MIN + i;
    }
    return over(all, kind, zipfExponent, seed);
  }

  /** The given IDs (at least one). */
  static IdDistribution over(int[] ids, Kind kind, double zipfExponent, long seed) {
    if (ids.length == 0) {
      throw new IllegalArgumentException("no key IDs to draw from");
    }
    int[] copy = Arrays.copyOf(ids, ids.length);
    if (kind == Kind.UNIFORM) {
      return new IdDistribution(copy, null);
    }
    SplittableRandom shuffle = new SplittableRandom(seed);
    for (int i = copy.length - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      int t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
    }
    double[] cdf = new double[copy.length];
    double sum = 0;
    for (int rank = 0; rank < copy.length; rank++) {
      sum += 1.0 / Math.pow(rank + 1, zipfExponent);
      cdf[rank] = sum;
    }
    for (int rank = 0; rank < cdf.length; rank++) {
      cdf[rank] /= sum;
    }
    return new IdDistribution(copy, cdf);
  }

  int next(SplittableRandom random) {
    if (cdf == null) {
      return ids[random.nextInt(ids.length)];
    }
    double u = random.nextDouble();
    int rank = Arrays.binarySearch(cdf, u);
    if (rank < 0) {
      rank = -rank - 1;
    }
    return ids[Math.min(rank, ids.length - 1)];
  }

  /** Returns the share of draws that land on the hottest ID (1/n for uniform). */
  double hottestShare() {
    return cdf == null ? 1.0 / ids.length : cdf[0];
  }
}
