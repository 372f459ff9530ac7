package com.bacefook.store.fuzz;

/** Strings as a report shows them: unprintable characters escaped, cut short, with their length. */
final class Shown {
  private Shown() {}

  /** Shows at most {@code limit} characters of {@code s}. */
  static String text(String s, int limit) {
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
}
