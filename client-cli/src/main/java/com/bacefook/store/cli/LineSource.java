package com.bacefook.store.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Where the shell's lines come from: a terminal with line editing, or plain text such as a pipe.
 */
public interface LineSource {
  /** Returns the next line, or empty at the end of input. */
  Optional<String> readLine();

  /** Returns a source that reads {@code reader} line by line, with no prompt. */
  static LineSource of(BufferedReader reader) {
    return () -> {
      try {
        return Optional.ofNullable(reader.readLine());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
