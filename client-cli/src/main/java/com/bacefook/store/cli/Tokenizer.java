package com.bacefook.store.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words, the way a POSIX shell does for the simple cases.
 *
 * <ul>
 *   <li>Words are separated by whitespace.
 *   <li>{@code "..."} keeps spaces; inside it {@code \"} and {@code \\} stand for {@code "} and
 *       {@code \}, and any other backslash is kept as it is.
 *   <li>{@code '...'} keeps everything literally.
 *   <li>Outside quotes, a backslash makes the next character literal.
 *   <li>Quoted and unquoted parts that touch form one word ({@code a"b c"} is {@code ab c}); {@code
 *       ""} is an empty word.
 * </ul>
 */
public final class Tokenizer {
  private Tokenizer() {}

  /**
   * Returns the words of {@code line}.
   *
   * @throws UsageException if a quote is not closed
   */
  public static List<String> tokenize(String line) throws UsageException {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int close = line.indexOf('\'', i + 1);
        if (close < 0) {
          throw new UsageException("unterminated ' quote at column " + (i + 1));
        }
        word.append(line, i + 1, close);
        inWord = true;
        i = close + 1;
      } else if (c == '"') {
        i = readDoubleQuoted(line, i, word);
        inWord = true;
      } else if (c == '\\' && i + 1 < n) {
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * Appends the contents of the double-quoted part opening at {@code open}; returns the index after
   * it.
   */
  private static int readDoubleQuoted(String line, int open, StringBuilder word)
      throws UsageException {
    int i = open + 1;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < line.length()) {
        char next = line.charAt(i + 1);
        if (next == '"' || next == '\\') {
          word.append(next);
          i += 2;
          continue;
        }
      }
      word.append(c);
      i++;
    }
    throw new UsageException("unterminated \" quote at column " + (open + 1));
  }
}
