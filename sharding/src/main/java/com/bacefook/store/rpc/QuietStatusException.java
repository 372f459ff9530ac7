package com.bacefook.store.rpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A {@link StatusRuntimeException} without a stack trace, for the answers a server gives in normal
 * operation (a key not found, a refusal): only its status and trailers reach the client, and filling
 * in a stack trace of the event loop would cost more than the rest of such a request.
 */
public final class QuietStatusException extends StatusRuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for {@code status} with {@code trailers} (null: none). */
  public QuietStatusException(Status status, Metadata trailers) {
    super(status, trailers);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
