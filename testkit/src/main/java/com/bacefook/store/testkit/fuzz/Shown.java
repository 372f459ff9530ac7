package com.bacefook.store.testkit.fuzz;

/**
 * Text and bytes as a fuzzer's report shows them: unprintable characters escaped, cut short, with
 * their length.
 */
public final class Shown {
  private Shown() {}

  /** Shows at most {@code limit} characters of {@code s}, escaping all but printable ASCII. */
  public static String text(String s, int limit) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < Math.min(s.length(), limit); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    out.append(s.length() > limit ? "...\"" : "\"");
    if (s.length() > 20) {
      out.append(" (").append(s.length()).append(" chars)");
    }
    return out.toString();
  }

  /** Shows at most {@code limit} bytes: printable ASCII as is, every other byte as {@code \xNN}. */
  public static String bytes(byte[] b, int limit) {
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < Math.min(b.length, limit); i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
        out.append((char) c);
      } else {
        out.append(String.format("\\x%02x", c));
      }
    }
    out.append(b.length > limit ? "...'" : "'");
    if (b.length > 20) {
      out.append(" (").append(b.length).append(" bytes)");
    }
    return out.toString();
  }
}
