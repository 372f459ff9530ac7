package com.bacefook.store.gateway;

/**
 * A request the gateway refuses because of what the caller sent, with a message that says how to fix
 * it. {@link ApiErrors} turns the {@link Reason} into an HTTP status.
 */
public final class ClientError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    /** Malformed, missing or out-of-range input. */
    INVALID,
    /** The user or post named does not exist. */
    NOT_FOUND,
    /** The ID asked for is already in use. */
    TAKEN,
    /** The request body is larger than the gateway accepts. */
    TOO_LARGE,
    /** The request body is not declared as {@code application/json}. */
    NOT_JSON
  }

  private final Reason reason;

  private ClientError(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** Returns why the request was refused. */
  public Reason reason() {
    return reason;
  }

  /** Malformed, missing or out-of-range input. */
  public static ClientError invalid(String message) {
    return new ClientError(Reason.INVALID, message);
  }

  /** The user or post named does not exist. */
  public static ClientError notFound(String message) {
    return new ClientError(Reason.NOT_FOUND, message);
  }

  /** The ID asked for is already in use. */
  public static ClientError taken(String message) {
    return new ClientError(Reason.TAKEN, message);
  }

  /** The request body is not declared as {@code application/json}. */
  public static ClientError notJson(String message) {
    return new ClientError(Reason.NOT_JSON, message);
  }

  /** The request body is too large. */
  public static ClientError tooLarge(String message) {
    return new ClientError(Reason.TOO_LARGE, message);
  }
}
