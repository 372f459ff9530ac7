package com.bacefook.store.testkit.history;

import com.bacefook.store.testkit.history.Operation.Kind;
import com.bacefook.store.testkit.history.Operation.Outcome;

/** Short constructors for hand-written histories: times are plain numbers, key {@code k_1} unless given. */
final class Ops {
  static final String KEY = "k_1";

  private Ops() {}

  static Operation put(int client, String value, long from, long to) {
    return new Operation(client, KEY, Kind.PUT, value, Outcome.OK, null, from, to);
  }

  static Operation append(int client, String value, long from, long to) {
    return new Operation(client, KEY, Kind.APPEND, value, Outcome.OK, null, from, to);
  }

  static Operation get(int client, String value, long from, long to) {
    return value == null
        ? new Operation(client, KEY, Kind.GET, null, Outcome.NOT_FOUND, null, from, to)
        : new Operation(client, KEY, Kind.GET, null, Outcome.OK, value, from, to);
  }

  static Operation delete(int client, boolean found, long from, long to) {
    Outcome outcome = found ? Outcome.OK : Outcome.NOT_FOUND;
    return new Operation(client, KEY, Kind.DELETE, null, outcome, null, from, to);
  }

  static Operation unknownPut(int client, String value, long from) {
    return new Operation(client, KEY, Kind.PUT, value, Outcome.UNKNOWN, null, from, from + 1);
  }

  static Operation unknownAppend(int client, String value, long from) {
    return new Operation(client, KEY, Kind.APPEND, value, Outcome.UNKNOWN, null, from, from + 1);
  }

  static Operation unknownDelete(int client, long from) {
    return new Operation(client, KEY, Kind.DELETE, null, Outcome.UNKNOWN, null, from, from + 1);
  }

  static Operation onKey(String key, Operation op) {
    return new Operation(
        op.clientId(), key, op.kind(), op.input(), op.outcome(), op.output(), op.invokeNanos(),
        op.returnNanos());
  }
}
