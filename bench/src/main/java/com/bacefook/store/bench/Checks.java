package com.bacefook.store.bench;

/** Option checks shared by the scenarios; each throws IllegalArgumentException saying what to give. */
final class Checks {
  /** Values stay well below the servers' 8 MiB message limit. */
  static final int MAX_VALUE_BYTES = 4 * 1024 * 1024;

  private Checks() {}

  static void valueBytes(int valueBytes) {
    if (valueBytes < 1 || valueBytes > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("--value-bytes must lie in [1, " + MAX_VALUE_BYTES + "], got " + valueBytes);
    }
  }

  static void positive(String option, long value, long max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(option + " must lie in [1, " + max + "], got " + value);
    }
  }
}
