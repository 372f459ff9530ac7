package com.bacefook.store.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unary handler's work and answers with its result or the status its failure maps to: a
 * {@link StatusRuntimeException} as it is; {@link IllegalArgumentException} (bad input) as {@code
 * INVALID_ARGUMENT}; {@link IllegalStateException} (for example, the server is stopping) as {@code
 * UNAVAILABLE}; anything else, a bug, as {@code INTERNAL}, logged.
 */
public final class Answers {
  private static final Logger log = LoggerFactory.getLogger(Answers.class);

  private Answers() {}

  /** Answers {@code response} with what {@code work} returns, or with its failure's status. */
  public static <T> void answer(StreamObserver<T> response, Supplier<T> work) {
    T reply;
    try {
      reply = work.get();
    } catch (RuntimeException e) {
      response.onError(toStatus(e));
      return;
    }
    response.onNext(reply);
    response.onCompleted();
  }

  /** Returns the status a failure of a handler's work maps to (see the class comment). */
  public static StatusRuntimeException toStatus(RuntimeException e) {
    if (e instanceof StatusRuntimeException status) {
      return status;
    }
    if (e instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof IllegalStateException) {
      return Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
    }
    log.error("request failed unexpectedly", e);
    return Status.INTERNAL.withDescription("internal error: " + e).withCause(e).asRuntimeException();
  }
}
