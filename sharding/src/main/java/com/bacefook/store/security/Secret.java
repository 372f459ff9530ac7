package com.bacefook.store.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A bearer token, read from a file or an environment variable and never from a command-line value.
 * It compares in constant time and never shows itself: {@link #toString()} is a placeholder.
 */
public final class Secret {
  private final byte[] value;

  private Secret(String value, String source) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(source + " is empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            source + " must be one line of printable ASCII without spaces (position " + (i + 1) + ")");
      }
    }
    this.value = value.getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns a token given directly, for tests and for tokens read by the caller. */
  public static Secret of(String value) {
    return new Secret(value, "the token");
  }

  /**
   * Reads a token from {@code file}: its content without the trailing line break.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no usable token
   */
  public static Secret fromFile(Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read token file " + file + ": " + e.getMessage());
    }
    return new Secret(content.strip(), "token file " + file);
  }

  /** Reads a token from the environment variable {@code value} holds, named {@code name} in errors. */
  static Secret fromEnvironment(String name, String value) {
    return new Secret(value.strip(), "environment variable " + name);
  }

  /** Returns whether {@code presented} is this token, taking the same time wherever they differ. */
  public boolean matches(String presented) {
    return MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.US_ASCII));
  }

  /** Returns the value for an {@code authorization} header; never log it. */
  String reveal() {
    return new String(value, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "Secret[hidden]";
  }
}
