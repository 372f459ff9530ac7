package com.bacefook.store.rpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerInterceptor;
import io.grpc.stub.AbstractStub;
import java.util.Map;

/**
 * Marks the {@code HandoffPuts} batches that hand keys to their new owner with the sender and the
 * configuration they belong to: headers {@code bacefook-handoff: <sender>} and {@code
 * bacefook-handoff-config: <n>}.
 */
public final class Handoff {
  /** The header that marks a handoff call; its value is the sending server. */
  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("bacefook-handoff", Metadata.ASCII_STRING_MARSHALLER);

  /** The header giving the configuration number a handoff call belongs to. */
  public static final Metadata.Key<String> CONFIG =
      Metadata.Key.of("bacefook-handoff-config", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> SENDER = Context.key("bacefook-handoff-sender");
  private static final Context.Key<String> CONFIG_NUMBER = Context.key("bacefook-handoff-config");

  private Handoff() {}

  /**
   * Returns {@code stub} with the handoff headers naming {@code sender} and configuration {@code
   * configNumber} on every call.
   */
  public static <S extends AbstractStub<S>> S mark(S stub, String sender, long configNumber) {
    return ContextHeaders.attach(stub, Map.of(HEADER, sender, CONFIG, Long.toString(configNumber)));
  }

  /** Returns the sender if the call being served is a handoff, else {@code null}. */
  public static String currentSender() {
    return SENDER.get();
  }

  /** Returns the configuration number of the handoff being served (0 if none or unreadable). */
  public static long currentConfigNumber() {
    String number = CONFIG_NUMBER.get();
    if (number == null) {
      return 0;
    }
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A server interceptor that exposes the handoff headers as {@link #currentSender()} and number. */
  public static ServerInterceptor serverInterceptor() {
    return ContextHeaders.exposing(Map.of(HEADER, SENDER, CONFIG, CONFIG_NUMBER));
  }
}
