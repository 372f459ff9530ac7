package com.bacefook.store.sharding;

/** Thrown when a key does not follow the {@code <prefix>_<id>} convention or its ID is out of range. */
public final class InvalidKeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidKeyException(String message) {
    super(message);
  }
}
