package com.bacefook.store.shardkv;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A fingerprint of a set of handed-off entries (key, value, author) that does not depend on their
 * order: the sum of each entry's 64-bit fingerprint. Sender and receiver compute it independently, so
 * a receiver can tell that what it staged is exactly what was sent.
 */
final class HandoffDigest {
  private static final HashFunction FINGERPRINT = Hashing.farmHashFingerprint64();

  private HandoffDigest() {}

  static long of(Iterable<Map.Entry<String, StoredValue>> entries) {
    long digest = 0;
    for (Map.Entry<String, StoredValue> entry : entries) {
      StoredValue value = entry.getValue();
      digest +=
          FINGERPRINT
              .newHasher()
              .putString(entry.getKey(), StandardCharsets.UTF_8)
              .putByte((byte) 0)
              .putString(value.author() == null ? "" : value.author(), StandardCharsets.UTF_8)
              .putByte((byte) 0)
              .putString(value.value(), StandardCharsets.UTF_8)
              .hash()
              .asLong();
    }
    return digest;
  }
}
