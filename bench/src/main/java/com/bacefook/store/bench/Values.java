package com.bacefook.store.bench;

import java.util.SplittableRandom;

/** Values of a given size: derived from the key (so a read can be checked) or random printable text. */
final class Values {
  private Values() {}

  /** Returns {@code size} characters made of {@code key} and {@code '.'}, the same for the same key. */
  static String forKey(String key, int size) {
    StringBuilder value = new StringBuilder(size);
    while (value.length() < size) {
      value.append(key).append('.');
    }
    value.setLength(size);
    return value.toString();
  }

  /** Returns {@code size} random letters and digits. */
  static String random(SplittableRandom random, int size) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char[] chars = new char[size];
    for (int i = 0; i < size; i++) {
      chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return new String(chars);
  }
}
