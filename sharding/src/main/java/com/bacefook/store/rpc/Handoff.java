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
 * Marks the {@code Put}s that hand keys to their new owner, so the receiver can tell a migrated value
 * from a client's write: they carry the header {@code bacefook-handoff: <sender>}.
 */
public final class Handoff {
  /** The header that marks a handoff {@code Put}; its value is the sending server. */
  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("bacefook-handoff", Metadata.ASCII_STRING_MARSHALLER);

  /** The sender of the current call if it is a handoff, or {@code null}. */
  public static final Context.Key<String> SENDER = Context.key("bacefook-handoff-sender");

  private Handoff() {}

  /** Returns {@code stub} with the handoff header naming {@code sender} on every call. */
  public static <S extends AbstractStub<S>> S mark(S stub, String sender) {
    Metadata headers = new Metadata();
    headers.put(HEADER, sender);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Returns the sender if the call being served is a handoff, else {@code null}. */
  public static String currentSender() {
    return SENDER.get();
  }

  /** A server interceptor that exposes the handoff header as {@link #SENDER}. */
  public static ServerInterceptor serverInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String sender = headers.get(HEADER);
        if (sender == null) {
          return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(SENDER, sender), call, headers, next);
      }
    };
  }
}
