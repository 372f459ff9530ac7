package com.bacefook.store.sharding;

/**
 * The integer ID of a key: the decimal number after the key's first {@code _}, in {@code [0, 1000]}.
 *
 * <p>{@code user_17} and {@code user_17_posts} have ID 17, {@code post_402} has ID 402. Keys without
 * an {@code _}, with a non-numeric, negative or too large ID, or longer than {@link #MAX_KEY_LENGTH}
 * are rejected with an {@link InvalidKeyException} that says why.
 */
public final class KeyId {
  /** The smallest key ID. */
  public static final int MIN = 0;
  /** The largest key ID. */
  public static final int MAX = 1000;
  /** How many key IDs there are. */
  public static final int COUNT = MAX - MIN + 1;
  /** Keys longer than this are refused rather than stored. */
  public static final int MAX_KEY_LENGTH = 1024;

  private KeyId() {}

  /**
   * Returns the ID of {@code key}.
   *
   * @throws InvalidKeyException if the key is malformed or its ID lies outside {@code [0, 1000]}
   */
  public static int of(String key) {
    if (key == null || key.isEmpty()) {
      throw new InvalidKeyException("empty key: keys look like user_<id>, post_<id> or user_<id>_posts");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new InvalidKeyException(
          "key is " + key.length() + " characters long; the limit is " + MAX_KEY_LENGTH);
    }
    int underscore = key.indexOf('_');
    if (underscore < 0) {
      throw new InvalidKeyException(
          "key " + Quote.of(key) + " has no '_': keys look like user_<id>, post_<id> or user_<id>_posts");
    }
    int start = underscore + 1;
    int end = key.indexOf('_', start);
    if (end < 0) {
      end = key.length();
    }
    if (start == end) {
      throw new InvalidKeyException("key " + Quote.of(key) + " has no ID after its first '_'");
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        String id = key.substring(start, end);
        String why = c == '-' && i == start ? "is negative" : "is not a decimal number";
        throw new InvalidKeyException("key " + Quote.of(key) + ": ID " + Quote.of(id) + " " + why);
      }
      value = value * 10 + (c - '0');
      if (value > MAX) {
        throw new InvalidKeyException(
            "key " + Quote.of(key) + ": ID " + Quote.of(key.substring(start, end))
                + " is out of range [0, 1000]");
      }
    }
    return (int) value;
  }

  /** Returns whether {@code id} lies in {@code [0, 1000]}. */
  public static boolean isValid(long id) {
    return id >= MIN && id <= MAX;
  }
}
