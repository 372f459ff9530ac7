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
 * Runs a unary handler's work and answers with its result or its failure's status. Statuses are made
 * where the error is known (a refusal, a storage failure) and pass through as they are; an {@link
 * IllegalArgumentException} is bad input (a malformed key or range, from the model's parsers) and
 * becomes {@code INVALID_ARGUMENT}; anything else is a bug: {@code INTERNAL}, logged with its cause.
 * Nothing unexpected becomes {@code UNAVAILABLE}, which clients would retry.
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
      response.onError(toStatus(e));
      return;
    }
    stage.whenComplete(
        (reply, failure) -> {
          if (failure != null) {
            Throwable cause = causeOf(failure);
            response.onError(
                cause instanceof RuntimeException runtime
                    ? toStatus(runtime)
                    : Status.INTERNAL.withDescription("internal error: " + cause).withCause(cause)
                        .asRuntimeException());
            return;
          }
          response.onNext(reply);
          response.onCompleted();
        });
  }

  /** Returns what {@code failure} of a stage is about: the cause a {@link CompletionException} wraps. */
  public static Throwable causeOf(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** Returns the status a failure of a handler's work maps to (see the class comment). */
  public static StatusRuntimeException toStatus(RuntimeException e) {
    if (e instanceof StatusRuntimeException status) {
      return status;
    }
    if (e instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    log.error("request failed unexpectedly", e);
    return Status.INTERNAL.withDescription("internal error: " + e).withCause(e).asRuntimeException();
  }
}
