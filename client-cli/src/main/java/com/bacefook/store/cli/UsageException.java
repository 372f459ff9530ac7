package com.bacefook.store.cli;

/** A line that is not a valid command; the message says what is wrong and how to write it. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a readable, single-line {@code message}. */
  public UsageException(String message) {
    super(message);
  }
}
