package com.bacefook.store.testkit.history;

/**
 * The sequential specification of one key: absent, or holding a string. {@code PUT} sets it, {@code
 * APPEND} appends (creating it if absent), {@code DELETE} removes it and answers {@code NOT_FOUND} if it
 * was absent, {@code GET} returns the value or {@code NOT_FOUND}. An operation with an unknown outcome
 * has its effect and accepts any answer.
 *
 * <p>Besides absent and a value, a key may be in the state {@link #UNREADABLE}: present, holding a value
 * that no read in the history returns, nor any extension of it. The search maps such values to this one
 * state, which they are equivalent to, so that it explores far fewer states.
 */
final class RegisterModel {
  /** The state of an absent key. */
  static final String ABSENT = null;

  /** A present key whose value no read returns (compare by reference). */
  static final String UNREADABLE = new String("<a value no read returned>");

  /** Returned by {@link #step} when the operation cannot have happened (compare by reference). */
  static final String ILLEGAL = new String("<illegal>");

  private RegisterModel() {}

  /** Returns whether {@code state} is one of the markers rather than a value. */
  static boolean isMarker(String state) {
    return state == UNREADABLE || state == ILLEGAL;
  }

  /**
   * Returns the state after {@code op} runs in {@code state} and answers what it answered, or {@link
   * #ILLEGAL} if it could not have answered that.
   */
  static String step(String state, Operation op) {
    boolean unknown = op.isUnknown();
    switch (op.kind()) {
      case GET:
        if (unknown) {
          return state;
        }
        if (op.outcome() == Operation.Outcome.NOT_FOUND) {
          return state == ABSENT ? state : ILLEGAL;
        }
        return state != ABSENT && state != UNREADABLE && state.equals(op.output()) ? state : ILLEGAL;
      case PUT:
        return op.input();
      case APPEND:
        if (state == UNREADABLE) {
          return UNREADABLE;
        }
        return state == ABSENT ? op.input() : state.concat(op.input());
      case DELETE:
        if (unknown) {
          return ABSENT;
        }
        boolean present = state != ABSENT;
        boolean answeredPresent = op.outcome() == Operation.Outcome.OK;
        return present == answeredPresent ? ABSENT : ILLEGAL;
      default:
        throw new AssertionError(op.kind());
    }
  }
}
