package com.bacefook.store.testkit.history;

import java.util.Locale;
import java.util.Objects;

/**
 * One key-value operation as a client saw it: what it asked, what it was told, and when.
 *
 * <p>Times are {@link System#nanoTime()} readings taken just before the request was sent ({@code
 * invokeNanos}) and just after its answer or failure arrived ({@code returnNanos}). An operation whose
 * outcome is {@link Outcome#UNKNOWN} may have taken effect at any moment after its invocation, or never;
 * its return time is kept only for latency figures.
 *
 * @param clientId the client that issued it
 * @param key the key it acted on
 * @param kind what it did
 * @param input the value written by a {@code PUT} or {@code APPEND}; {@code null} for the others
 * @param outcome what the client was told
 * @param output the value a {@code GET} returned with {@link Outcome#OK}; {@code null} otherwise
 * @param invokeNanos when it was issued
 * @param returnNanos when its answer (or failure) arrived
 */
public record Operation(
    int clientId,
    String key,
    Kind kind,
    String input,
    Outcome outcome,
    String output,
    long invokeNanos,
    long returnNanos) {

  /** What an operation does. */
  public enum Kind {
    GET,
    PUT,
    APPEND,
    DELETE
  }

  /** What the client was told. Definite failures (the request was not applied) are not recorded. */
  public enum Outcome {
    /** It succeeded; a {@code GET} carries the value it read. */
    OK,
    /** A {@code GET} or {@code DELETE} found no value for the key. */
    NOT_FOUND,
    /** It failed ambiguously: it may or may not have taken effect. */
    UNKNOWN
  }

  /** Checks that the fields fit together. */
  public Operation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    boolean writesValue = kind == Kind.PUT || kind == Kind.APPEND;
    if (writesValue != (input != null)) {
      throw new IllegalArgumentException(kind + " needs " + (writesValue ? "an" : "no") + " input");
    }
    boolean readsValue = kind == Kind.GET && outcome == Outcome.OK;
    if (readsValue != (output != null)) {
      throw new IllegalArgumentException(
          kind + " " + outcome + " needs " + (readsValue ? "an" : "no") + " output");
    }
    if (outcome == Outcome.NOT_FOUND && writesValue) {
      throw new IllegalArgumentException(kind + " cannot answer NOT_FOUND");
    }
    if (returnNanos < invokeNanos) {
      throw new IllegalArgumentException("returned before it was invoked");
    }
  }

  /** Returns whether it may or may not have taken effect. */
  public boolean isUnknown() {
    return outcome == Outcome.UNKNOWN;
  }

  /**
   * Returns a one-line description such as {@code c3 GET post_7 -> "3-17" [1.250..1.900 ms]}, with
   * times in milliseconds since {@code baseNanos}.
   */
  public String describe(long baseNanos) {
    StringBuilder text = new StringBuilder();
    text.append('c').append(clientId).append(' ').append(kind).append(' ').append(key);
    if (input != null) {
      text.append('(').append(quote(input)).append(')');
    }
    text.append(" -> ");
    text.append(output != null ? quote(output) : outcome.toString());
    text.append(" [").append(millis(invokeNanos - baseNanos)).append("..");
    text.append(isUnknown() ? "?" : millis(returnNanos - baseNanos)).append(" ms]");
    return text.toString();
  }

  /** Returns {@code value} in quotes, cut in the middle if it is long. */
  static String quote(String value) {
    if (value == null) {
      return "absent";
    }
    int limit = 120;
    if (value.length() <= limit) {
      return '"' + value + '"';
    }
    return '"' + value.substring(0, 40) + "...(" + value.length() + " chars)..."
        + value.substring(value.length() - 60) + '"';
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
