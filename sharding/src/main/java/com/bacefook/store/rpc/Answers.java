package com.bacefook.store.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
      response.onError(statusOf(e));
      return;
    }
    response.onNext(reply);
    response.onCompleted();
  }

  /**
   * Answers {@code response} once the stage {@code work} returns completes, with its result or its
   * failure's status; a failure of {@code work} itself is answered at once. The answer may come from
   * the thread that completes the stage.
   */
  public static <T> void answerLater(StreamObserver<T> response, Supplier<CompletionStage<T>> work) {
    CompletionStage<T> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      response.onError(statusOf(e));
      return;
    }
    stage.whenComplete(
        (reply, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
            response.onError(
                cause instanceof RuntimeException runtime
                    ? statusOf(runtime)
                    : Status.INTERNAL.withDescription("internal error: " + cause).withCause(cause)
                        .asRuntimeException());
            return;
          }
          response.onNext(reply);
          response.onCompleted();
        });
  }

  private static StatusRuntimeException statusOf(RuntimeException e) {
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
