package com.bacefook.store.rpc;

/**
 * Reads the value that follows a flag on a command line ({@code args[i]}, the flag being {@code
 * args[i - 1]}), with an error that names the flag: {@code --snapshot-every needs a value}, {@code
 * --election-timeout-ms takes a whole number, got 'abc'}. Each error is an {@link
 * IllegalArgumentException}, which the mains print with their usage.
 */
public final class FlagValues {
  private FlagValues() {}

  /** Returns {@code args[i]}, the value of flag {@code args[i - 1]}. */
  public static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  /** Returns the value of flag {@code args[i - 1]} as a whole number. */
  public static long number(String[] args, int i) {
    String value = value(args, i);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[i - 1] + " takes a whole number, got '" + value + "'");
    }
  }

  /** Returns the value of flag {@code args[i - 1]} as a port in [0, 65535] ({@link Addresses#port}). */
  public static int port(String[] args, int i) {
    try {
      return Addresses.port(value(args, i), 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(args[i - 1] + ": " + e.getMessage(), e);
    }
  }
}
