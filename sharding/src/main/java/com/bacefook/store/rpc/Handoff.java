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

  /** The header giving the configuration number a handoff {@code Put} belongs to. */
  public static final Metadata.Key<String> CONFIG =
      Metadata.Key.of("bacefook-handoff-config", Metadata.ASCII_STRING_MARSHALLER);

  /** The sender of the current call if it is a handoff, or {@code null}. */
  private static final Context.Key<String> SENDER = Context.key("bacefook-handoff-sender");

  /** The configuration number of the current handoff call, or {@code null}. */
  private static final Context.Key<Long> CONFIG_NUMBER = Context.key("bacefook-handoff-config");

  private Handoff() {}

  /**
   * Returns {@code stub} with the handoff headers naming {@code sender} and configuration {@code
   * configNumber} on every call.
   */
  public static <S extends AbstractStub<S>> S mark(S stub, String sender, long configNumber) {
    Metadata headers = new Metadata();
    headers.put(HEADER, sender);
    headers.put(CONFIG, Long.toString(configNumber));
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Returns the sender if the call being served is a handoff, else {@code null}. */
  public static String currentSender() {
    return SENDER.get();
  }

  /** Returns the configuration number of the handoff being served (0 if none or unreadable). */
  public static long currentConfigNumber() {
    Long number = CONFIG_NUMBER.get();
    return number == null ? 0 : number;
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
        long number;
        try {
          number = Long.parseLong(headers.get(CONFIG));
        } catch (NumberFormatException e) {
          number = 0;
        }
        Context context = Context.current().withValues(SENDER, sender, CONFIG_NUMBER, number);
        return Contexts.interceptCall(context, call, headers, next);
      }
    };
  }
}
