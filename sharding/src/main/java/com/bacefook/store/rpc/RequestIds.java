package com.bacefook.store.rpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.util.Map;
import java.util.Optional;

/**
 * Marks a client's write with {@code bacefook-client-id} and {@code bacefook-seq}: a replica group
 * keeps its latest answer to each client, so a write retried with the same pair (after a timeout or a
 * leader change) is applied once and answered as the first time.
 */
public final class RequestIds {
  /** The header naming the client: any string unique to it (a random UUID). */
  public static final Metadata.Key<String> CLIENT =
      Metadata.Key.of("bacefook-client-id", Metadata.ASCII_STRING_MARSHALLER);
  /** The header numbering the client's request; each new request has a higher number. */
  public static final Metadata.Key<String> SEQ =
      Metadata.Key.of("bacefook-seq", Metadata.ASCII_STRING_MARSHALLER);
  /**
   * The header saying the client holds the answers to all its requests numbered below it, so a server
   * may forget them (absent: 0). A client may have many requests in flight, in any order.
   */
  public static final Metadata.Key<String> ACKED =
      Metadata.Key.of("bacefook-acked", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Trailer on a failure whose outcome is unknown (the write may or may not be applied) from a server
   * that keeps the answer to each request ID: sending the same request again applies it at most once.
   */
  public static final Metadata.Key<String> DEDUPLICATED =
      Metadata.Key.of("bacefook-deduplicated", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> CLIENT_ID = Context.key("bacefook-client-id");
  private static final Context.Key<String> SEQ_NUMBER = Context.key("bacefook-seq");
  private static final Context.Key<String> ACKED_MARK = Context.key("bacefook-acked");

  /**
   * A client's request.
   *
   * @param clientId the client
   * @param seq its number among the client's requests
   * @param acked the client holds the answers to all its requests numbered below this ({@code <= seq})
   */
  public record RequestId(String clientId, long seq, long acked) {}

  private RequestIds() {}

  /** Returns {@code stub} sending {@code id} on every call. */
  public static <S extends AbstractStub<S>> S mark(S stub, RequestId id) {
    return ContextHeaders.attach(
        stub,
        Map.of(CLIENT, id.clientId(), SEQ, Long.toString(id.seq()), ACKED, Long.toString(id.acked())));
  }

  /**
   * Returns the request ID of the call being served, if it sent the client and sequence headers and
   * the numbers are numbers with the acknowledged mark (0 if absent) not above the sequence number.
   */
  public static Optional<RequestId> current() {
    String client = CLIENT_ID.get();
    String seq = SEQ_NUMBER.get();
    String acked = ACKED_MARK.get();
    if (client == null || client.isEmpty() || seq == null) {
      return Optional.empty();
    }
    try {
      long number = Long.parseLong(seq);
      long mark = acked == null ? 0 : Long.parseLong(acked);
      return mark <= number ? Optional.of(new RequestId(client, number, mark)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Returns trailers marking a failure as {@link #DEDUPLICATED}. */
  public static Metadata deduplicatedTrailers() {
    Metadata trailers = new Metadata();
    trailers.put(DEDUPLICATED, "true");
    return trailers;
  }

  /** Returns whether {@code e} says the same request may be sent again safely. */
  public static boolean isDeduplicated(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    return trailers != null && trailers.containsKey(DEDUPLICATED);
  }

  /** A server interceptor that exposes the headers as {@link #current()}. */
  public static ServerInterceptor serverInterceptor() {
    return ContextHeaders.exposing(Map.of(CLIENT, CLIENT_ID, SEQ, SEQ_NUMBER, ACKED, ACKED_MARK));
  }
}
