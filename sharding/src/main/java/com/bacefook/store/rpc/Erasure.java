package com.bacefook.store.rpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerInterceptor;
import io.grpc.stub.AbstractStub;
import java.util.Map;

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
    return ContextHeaders.attach(stub, Map.of(HEADER, userKey));
  }

  /** Returns the user being erased if the call being served is part of an erase, else {@code null}. */
  public static String currentUser() {
    return USER.get();
  }

  /** A server interceptor that exposes the header as {@link #currentUser()}. */
  public static ServerInterceptor serverInterceptor() {
    return ContextHeaders.exposing(Map.of(HEADER, USER));
  }
}
