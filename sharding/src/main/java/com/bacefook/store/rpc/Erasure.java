package com.bacefook.store.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * Marks the post {@code Delete}s of a GDPR erase with {@code bacefook-erasing: user_<N>}: the author's
 * post list is about to be deleted whole, so the server need not take each post out of it.
 */
public final class Erasure {
  /** The header naming the user being erased. */
  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("bacefook-erasing", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> USER = Context.key("bacefook-erasing-user");

  private Erasure() {}

  /** Returns {@code stub} with the header naming {@code userKey} on every call. */
  public static <S extends AbstractStub<S>> S mark(S stub, String userKey) {
    Metadata headers = new Metadata();
    headers.put(HEADER, userKey);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Returns the user being erased if the call being served is part of an erase, else {@code null}. */
  public static String currentUser() {
    return USER.get();
  }

  /** A server interceptor that exposes the header as {@link #currentUser()}. */
  public static ServerInterceptor serverInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String user = headers.get(HEADER);
        if (user == null) {
          return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(USER, user), call, headers, next);
      }
    };
  }
}
