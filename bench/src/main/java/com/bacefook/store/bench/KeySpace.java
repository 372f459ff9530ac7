package com.bacefook.store.bench;

import com.bacefook.store.sharding.KeyId;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A finite set of keys spread evenly over the key IDs: key number {@code i} has ID {@code i % 1001} and
 * sequence number {@code i / 1001}. Loads draw an ID from a distribution, then a sequence number
 * uniformly among the keys of that ID, so every key drawn is one that was preloaded.
 */
final class KeySpace {
  private final KeyForm form;
  private final String prefix;
  private final long size;
  private final IdDistribution ids;

  /**
   * Creates the key space of {@code size} keys (at most 1,001 for user and post keys) in {@code form};
   * generic keys are {@code <prefix>_<id>_<seq>}.
   */
  KeySpace(KeyForm form, String prefix, long size, IdDistribution ids) {
    if (size < 1) {
      throw new IllegalArgumentException("a key space needs at least one key");
    }
    if (form != KeyForm.GENERIC && size > KeyId.COUNT) {
      throw new IllegalArgumentException(
          form.name().toLowerCase(Locale.ROOT) + " keys give at most " + KeyId.COUNT
              + " keys (one per ID); use --key-form generic for " + size);
    }
    this.form = form;
    this.prefix = prefix;
    this.size = size;
    this.ids = ids;
  }

  long size() {
    return size;
  }

  /** Returns key number {@code index} of {@code [0, size)}. */
  String keyAt(long index) {
    int id = (int) (index % KeyId.COUNT);
    long seq = index / KeyId.COUNT;
    return key(id, seq);
  }

  /** Returns how many keys of this space have ID {@code id}. */
  long keysWithId(int id) {
    long full = size / KeyId.COUNT;
    return full + (id - KeyId.MIN < size % KeyId.COUNT ? 1 : 0);
  }

  /** Returns a key drawn by the ID distribution; {@code null} never. */
  String pick(SplittableRandom random) {
    for (int attempt = 0; attempt < 64; attempt++) {
      int id = ids.next(random);
      long n = keysWithId(id);
      if (n > 0) {
        return key(id, n == 1 ? 0 : random.nextLong(n));
      }
    }
    // The distribution keeps landing on IDs without keys (a space smaller than 1,001): take any key.
    return keyAt(random.nextLong(size));
  }

  String key(int id, long seq) {
    return switch (form) {
      case USER -> "user_" + id;
      case POST -> "post_" + id;
      case GENERIC -> prefix + "_" + id + "_" + seq;
    };
  }
}
