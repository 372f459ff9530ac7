package com.bacefook.store.shardmaster;

/** A configuration change that the rules refuse; the configuration stays as it was. */
public final class RejectedChangeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  RejectedChangeException(String message) {
    super(message);
  }
}
