package com.bacefook.store.rpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Keeps every error description a server sends short. Descriptions travel in an HTTP/2 trailer, and
 * one over the peer's header limit (8 KiB by default) turns a clear error into {@code INTERNAL} and
 * can tear down the connection with every other call on it; messages already quote input sparingly
 * ({@link com.bacefook.store.sharding.Quote}), and this is the backstop.
 */
public final class BoundedErrors implements ServerInterceptor {
  /** Descriptions are cut to this many characters. */
  public static final int MAX_DESCRIPTION = 1_000;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            String description = status.getDescription();
            if (description != null && description.length() > MAX_DESCRIPTION) {
              status = status.withDescription(description.substring(0, MAX_DESCRIPTION) + "...");
            }
            super.close(status, trailers);
          }
        },
        headers);
  }
}
