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
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (IllegalStateException e) {
      response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      log.error("request failed unexpectedly", e);
      response.onError(
          Status.INTERNAL.withDescription("internal error: " + e).withCause(e).asRuntimeException());
      return;
    }
    response.onNext(reply);
    response.onCompleted();
  }
}
