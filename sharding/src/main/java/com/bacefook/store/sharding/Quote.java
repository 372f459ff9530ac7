package com.bacefook.store.sharding;

/**
 * Shows user input inside an error message: quoted, control characters escaped, and cut to a bounded
 * length, so that an odd or huge input still makes a short, readable, safe message.
 */
public final class Quote {
  /** At most this many characters of the input are shown. */
  public static final int MAX_SHOWN = 48;

  private Quote() {}

  /** Returns {@code 'input'}, escaped and, past {@link #MAX_SHOWN} characters, cut with its length. */
  public static String of(String input) {
    if (input == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(input.length(), MAX_SHOWN) + 24).append('\'');
    int shown = Math.min(input.length(), MAX_SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = input.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (input.length() > shown) {
      out.append("...' (").append(input.length()).append(" characters)");
    } else {
      out.append('\'');
    }
    return out.toString();
  }
}
