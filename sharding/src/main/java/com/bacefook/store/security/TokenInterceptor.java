package com.bacefook.store.security;

import com.bacefook.store.rpc.Erasure;
import com.bacefook.store.rpc.Handoff;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;

/**
 * Refuses, before the service sees it, every call whose token does not give the access its method
 * needs ({@link MethodAccess}, {@link TokenCheck}); the refused call writes nothing. A call carrying any
 * server-to-server marker header (handoff sender or configuration, erase) counts as marked.
 */
public final class TokenInterceptor implements ServerInterceptor {
  /** The header that carries {@code Bearer <token>}. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final TokenCheck check;

  /** Creates an interceptor checking calls against {@code tokens}. */
  public TokenInterceptor(Tokens tokens) {
    this.check = new TokenCheck(tokens);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    boolean marked =
        headers.containsKey(Handoff.HEADER)
            || headers.containsKey(Handoff.CONFIG)
            || headers.containsKey(Erasure.HEADER);
    Optional<Status> refusal =
        check.check(method, MethodAccess.of(method, marked), headers.get(AUTHORIZATION));
    if (refusal.isPresent()) {
      call.close(refusal.get(), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
