package com.bacefook.store.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: every error is {@code {"error": "..."}} with
 * a status chosen here. What the caller sent wrong is 4xx; a cluster that cannot be reached or is
 * in the middle of a change is 503 (try again); anything else is 5xx.
 */
public final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private final JsonCodec json;

  /** Creates the mapping; answers are written with {@code json}. */
  public ApiErrors(JsonCodec json) {
    this.json = json;
  }

  /** Installs the mapping on {@code router}. */
  public void register(JavalinDefaultRouting router) {
    router.exception(
        ClientError.class, (e, ctx) -> answer(ctx, statusOf(e.reason()), e.getMessage()));
    router.exception(StatusRuntimeException.class, this::storeFailure);
    router.exception(HttpResponseException.class, this::httpFailure);
    router.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("{} {} failed", ctx.method(), ctx.path(), e);
          answer(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
        });
  }

  /** Returns the HTTP status for a request refused because of its input. */
  static HttpStatus statusOf(ClientError.Reason reason) {
    return switch (reason) {
      case INVALID -> HttpStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case TAKEN -> HttpStatus.CONFLICT;
      case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
      case NOT_JSON -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    };
  }

  /** Returns the HTTP status for a gRPC status from the store or the shardmaster. */
  static HttpStatus statusOf(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case ALREADY_EXISTS -> HttpStatus.CONFLICT;
      // Unreachable, too slow, or a range changing hands: the cluster can't serve this right now.
      case UNAVAILABLE, DEADLINE_EXCEEDED, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, ABORTED ->
          HttpStatus.SERVICE_UNAVAILABLE;
      default -> HttpStatus.BAD_GATEWAY;
    };
  }

  /** Javalin's own refusals: no such endpoint, wrong method, body too large. */
  private void httpFailure(HttpResponseException e, Context ctx) {
    String message = e.getMessage();
    if (e.getStatus() == HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
      String allowed = String.join(", ", e.getDetails().values());
      message = ctx.req().getMethod() + " is not allowed on " + ctx.path() + "; use " + allowed;
    }
    answer(ctx, HttpStatus.forStatus(e.getStatus()), message);
  }

  private void storeFailure(StatusRuntimeException e, Context ctx) {
    Status status = e.getStatus();
    HttpStatus http = statusOf(status.getCode());
    String detail =
        status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    String message;
    if (http == HttpStatus.SERVICE_UNAVAILABLE) {
      message = "the store cannot answer right now (" + detail + "); try again shortly";
    } else if (http.getCode() < 500 && status.getDescription() != null) {
      message = status.getDescription();
    } else {
      message = detail;
    }
    if (http.getCode() >= 500) {
      log.warn("{} {} -> {}: {}", ctx.method(), ctx.path(), http.getCode(), detail);
    }
    answer(ctx, http, message);
  }

  private void answer(Context ctx, HttpStatus status, String message) {
    json.write(ctx, status, new Views.ErrorBody(message));
  }
}
