package com.bacefook.store.gateway.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Random values for requests, mostly garbage: text of every length and kind of character (control
 * characters, whitespace that {@link String#strip()} removes and that it doesn't, emoji, lone
 * surrogate halves), IDs that are almost right, JSON values of every type, and JSON strings escaped
 * in every legal way. Everything comes from one {@link SplittableRandom}, so a seed replays it.
 */
final class JunkValues {
  private static final Pattern USER_ID = Pattern.compile("user_(0|[1-9][0-9]{0,2}|1000)");
  private static final Pattern POST_ID = Pattern.compile("post_(0|[1-9][0-9]{0,2}|1000)");
  private static final int[] LENGTHS = {
    0, 1, 2, 3, 7, 20, 40, 41, 79, 80, 81, 82, 200, 1000, 4999, 5000, 5001, 5002, 20_000, 60_000
  };
  private static final String HEX = "0123456789abcdef";

  private final SplittableRandom random;

  JunkValues(SplittableRandom random) {
    this.random = random;
  }

  /** Returns whether {@code id} is a canonical {@code user_N} with N in [0, 1000]. */
  static boolean isUserId(String id) {
    return USER_ID.matcher(id).matches();
  }

  /** Returns whether {@code id} is a canonical {@code post_N} with N in [0, 1000]. */
  static boolean isPostId(String id) {
    return POST_ID.matcher(id).matches();
  }

  int below(int bound) {
    return random.nextInt(bound);
  }

  boolean oneIn(int n) {
    return random.nextInt(n) == 0;
  }

  /** Returns true with probability {@code percent} / 100. */
  boolean percent(int percent) {
    return random.nextInt(100) < percent;
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  @SafeVarargs
  final <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }

  /** Text of a random length up to {@code maxLength}, often at a limit, of random characters. */
  String text(int maxLength) {
    int length =
        oneIn(3)
            ? below(Math.max(1, Math.min(maxLength, 100)) + 1)
            : LENGTHS[below(LENGTHS.length)];
    length = Math.min(length, maxLength);
    int style = below(12);
    StringBuilder out = new StringBuilder(length);
    while (out.length() < length) {
      appendChar(out, style < 10 ? style : below(10));
    }
    out.setLength(length); // may cut an emoji in half: a lone surrogate, which is fine here
    return out.toString();
  }

  private void appendChar(StringBuilder out, int kind) {
    switch (kind) {
      case 0 -> out.append((char) ('a' + below(26)));
      case 1 -> out.append((char) (0x20 + below(0x5f)));
      case 2 ->
          out.append(
              pick(
                  ' ', '\t', '\n', '\r', '\u000b', '\u000c', '\u001c', '\u001f', '\u2003', '\u3000',
                  '\u2028', '\u2029', '\u00a0', '\u200b', '\ufeff', '\u0085', '\u180e'));
      case 3 -> out.append(below(2) == 0 ? (char) below(0x20) : (char) (0x7f + below(0x21)));
      case 4 -> out.append((char) (0x00c0 + below(0x400)));
      case 5 -> out.append((char) (0x4e00 + below(0x5000)));
      case 6 ->
          out.appendCodePoint(
              pick(0x1F600 + below(0x50), 0x10000, 0x10FFFF, 0x1F3F3, 0xE0001, 0x2A6D6));
      case 7 ->
          out.append(
              pick(
                  '\u0301', '\u202e', '\u202d', '\u2066', '\u200d', '\ufffd', '\ufffe', '\uffff',
                  '\u0000', '<', '>', '&', '"', '\\', '/', '\''));
      case 8 -> out.append((char) (0xD800 + below(0x800))); // a lone surrogate half
      default -> out.append((char) (0xDC00 + below(0x400))).append((char) (0xD800 + below(0x400)));
    }
  }

  /** A name for a person, or a sentence: plain, easy to tell apart in a report. */
  String plainText(int words) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < words; i++) {
      out.append(i == 0 ? "" : " ")
          .append(
              pick("Ada", "Bo", "Cy", "Di", "Ed", "hello", "shards", "über", "Zoë", "漢字", "😀"));
    }
    return out.toString();
  }

  /**
   * An ID that is never valid for any field: off by a sign, a digit, a blank, a prefix, a letter
   * case, a look-alike digit, a range; or random text.
   */
  String junkId(String prefix) {
    String other = prefix.equals("user") ? "post" : "user";
    String n = Integer.toString(below(1001));
    String id =
        switch (below(32)) {
          case 0 -> prefix + "_-1";
          case 1 -> prefix + "_1001";
          case 2 -> prefix + "_99999999999999999999";
          case 3 -> prefix + "_" + (1001 + below(Integer.MAX_VALUE - 1001));
          case 4 -> prefix + "_";
          case 5 -> prefix;
          case 6 -> "";
          case 7 -> " " + prefix + "_" + n;
          case 8 -> prefix + "_" + n + " ";
          case 9 -> prefix + "_ " + n;
          case 10 -> prefix + " _" + n;
          case 11 -> prefix + "_0" + n;
          case 12 -> prefix + "_+" + n;
          case 13 -> prefix + "_" + n + "_posts";
          case 14 -> prefix.toUpperCase(Locale.ROOT) + "_" + n;
          case 15 -> other + "_" + n;
          case 16 -> prefix + "_\u0665";
          case 17 -> prefix + "_\uff15";
          case 18 -> prefix + "_" + n + "\u0000";
          case 19 -> prefix + "_1e3";
          case 20 -> prefix + "_0x1f";
          case 21 -> prefix + "_" + n + ".0";
          case 22 -> prefix + "_" + "9".repeat(20 + below(60));
          case 23 -> prefix + "_" + "1".repeat(1000 + below(3000));
          case 24 -> prefix + "_" + n + pick("x", ",", "\u200b", "\n", "/", "%", "\ud800");
          case 25 -> "\ud83d" + prefix + "_" + n;
          case 26 -> prefix + "_-0";
          case 27 -> pick("null", "undefined", "NaN", prefix + "_NaN", "true", "0", "[]", "{}");
          case 28 -> prefix + "\u0000_" + n;
          case 29 -> prefix + "_" + n + ", " + prefix + "_" + n;
          case 30 -> "../" + prefix + "_" + n;
          default -> text(60);
        };
    return isUserId(id) || isPostId(id) ? id + "x" : id;
  }

  /**
   * {@code s} as a JSON string literal: quotes, backslashes and control characters escaped as JSON
   * demands, lone surrogate halves as {@code \\uXXXX} (the only way to send them), and other
   * characters now and then escaped too (hex in either case, {@code \/} for a slash).
   */
  String jsonString(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    boolean escapeAll = oneIn(10);
    boolean upperHex = oneIn(2);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        if (escapeAll || oneIn(20)) {
          out.append(unicodeEscape(c, upperHex)).append(unicodeEscape(s.charAt(i + 1), upperHex));
        } else {
          out.append(c).append(s.charAt(i + 1));
        }
        i++;
      } else if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        String shortForm =
            switch (c) {
              case '\n' -> "\\n";
              case '\t' -> "\\t";
              case '\r' -> "\\r";
              case '\b' -> "\\b";
              case '\f' -> "\\f";
              default -> null;
            };
        out.append(shortForm != null && !oneIn(4) ? shortForm : unicodeEscape(c, upperHex));
      } else if (Character.isSurrogate(c) || escapeAll || oneIn(30)) {
        out.append(unicodeEscape(c, upperHex));
      } else if (c == '/' && oneIn(2)) {
        out.append("\\/");
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static String unicodeEscape(char c, boolean upperHex) {
    String hex = String.format("%04x", (int) c);
    return "\\u" + (upperHex ? hex.toUpperCase(Locale.ROOT) : hex);
  }

  /**
   * A valid JSON value that is not a string and not null: numbers of every shape (huge, tiny,
   * negative zero, past any integer type), booleans, arrays and objects, some nested deeply.
   */
  String wrongTypeValue() {
    return switch (below(16)) {
      case 0 -> pick("0", "-1", "5", "17", "1000");
      case 1 -> pick("1.5", "-0", "-0.0", "1e3", "1E+308", "4.9e-324");
      case 2 -> pick("1e999", "-1e999", "1e-999");
      case 3 -> "99999999999999999999";
      case 4 -> "-" + "9".repeat(30 + below(900));
      case 5 -> "0." + "0".repeat(below(500)) + "1";
      case 6 -> pick("true", "false");
      case 7 -> pick("[]", "{}", "[null]", "[[]]", "{\"\":null}");
      case 8 -> "[" + jsonString("user_" + below(1001)) + "]";
      case 9 -> "{\"userId\":" + jsonString("user_" + below(1001)) + "}";
      case 10 -> nestedArray(1 + below(500), "1");
      case 11 -> nestedObject(1 + below(300));
      case 12 -> "[" + jsonString(text(100)) + "," + wrongTypeValue() + "]";
      case 13 -> "1" + "0".repeat(below(990));
      case 14 -> "123456789012345678901234567890.5e-7";
      default -> "[" + "1,".repeat(below(3000)) + "1]";
    };
  }

  /** A valid JSON value of any type, for fields the gateway does not read. */
  String anyValue() {
    return switch (below(4)) {
      case 0 -> jsonString(text(2000));
      case 1 -> "null";
      default -> wrongTypeValue();
    };
  }

  /** A token that makes any JSON document invalid where a value belongs. */
  String invalidValue() {
    return switch (below(18)) {
      case 0 -> pick("NaN", "Infinity", "-Infinity", "+Infinity", "undefined");
      case 1 -> pick("'user_5'", "user_5", "\"user_5'", "'x\"");
      case 2 -> pick("01", "1.", ".5", "+1", "0x10", "1e", "--1", "1..2", "1e+", "0b1");
      case 3 -> "1" + "0".repeat(1000 + below(3000)); // longer than Jackson's number limit
      case 4 -> pick("tru", "nul", "falsey", "True", "NULL", "nil");
      case 5 -> pick("[1,]", "[,1]", "{,}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{1:2}");
      case 6 -> "\"unterminated";
      case 7 -> "\"" + (char) below(0x20) + "\""; // a raw control character in a string
      case 8 -> "\"bad escape \\x41\"";
      case 9 -> "\"bad unicode \\u12\"";
      case 10 -> "\"\\ud800\" \"two strings\"";
      case 11 -> "[" + "[".repeat(1000 + below(9000)); // past Jackson's nesting limit
      case 12 -> nestedArray(1001 + below(2000), "1");
      case 13 -> "/* comment */ 1";
      case 14 -> "// comment\n1";
      case 15 -> "#1";
      case 16 -> "\"a\"\"b\"";
      default -> "{\"a\":" + invalidValue() + "}";
    };
  }

  /** {@code [[...[leaf]...]]} with {@code depth} brackets. */
  static String nestedArray(int depth, String leaf) {
    return "[".repeat(depth) + leaf + "]".repeat(depth);
  }

  /** {@code {"a":{"a":...{}...}}} with {@code depth} objects. */
  static String nestedObject(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  /** JSON whitespace: nothing, mostly, or a few blanks, tabs and line breaks. */
  String blank() {
    if (!oneIn(4)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = below(4); i >= 0; i--) {
      out.append(pick(" ", "\t", "\n", "\r\n", "    "));
    }
    return out.toString();
  }

  /**
   * Percent-encodes the UTF-8 bytes of {@code s} for a query string: unreserved characters stay as
   * they are, now and then encoded anyway, hex in either case; blanks as {@code %20} or {@code +}.
   */
  String percentEncode(String s) {
    return percentEncode(s.getBytes(StandardCharsets.UTF_8));
  }

  String percentEncode(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    boolean upperHex = oneIn(2);
    boolean plusForBlank = oneIn(2);
    for (byte b : bytes) {
      int c = b & 0xff;
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~';
      if (c == ' ' && plusForBlank) {
        out.append('+');
      } else if (unreserved && !oneIn(20)) {
        out.append((char) c);
      } else {
        String hex = "" + HEX.charAt(c >> 4) + HEX.charAt(c & 0xf);
        out.append('%').append(upperHex ? hex.toUpperCase(Locale.ROOT) : hex);
      }
    }
    return out.toString();
  }

  /** {@code n} random bytes. */
  byte[] bytes(int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) random.nextInt(256);
    }
    return out;
  }
}
