package com.bacefook.store.rpc;

import com.bacefook.store.sharding.Quote;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/**
 * The statuses a server answers with when it does not serve a key, and how a client reads them.
 *
 * <p>A refusal always means the request was <em>not applied</em>, so any request may be retried after
 * one: such statuses carry the trailer {@code bacefook-refused}, and the owner's address in
 * {@code bacefook-owner} when the server knows it (like Redis Cluster's {@code MOVED}).
 */
public final class Refusals {
  /** Trailer naming the server that owns the key, per the refusing server's configuration. */
  public static final Metadata.Key<String> OWNER =
      Metadata.Key.of("bacefook-owner", Metadata.ASCII_STRING_MARSHALLER);
  /** Trailer giving the configuration number the refusing server acted on. */
  public static final Metadata.Key<String> CONFIG =
      Metadata.Key.of("bacefook-config", Metadata.ASCII_STRING_MARSHALLER);
  /** Trailer present on every refusal: the request was not applied. */
  public static final Metadata.Key<String> REFUSED =
      Metadata.Key.of("bacefook-refused", Metadata.ASCII_STRING_MARSHALLER);

  private Refusals() {}

  /**
   * A key whose ID this server does not own in configuration {@code configNumber}: {@code
   * FAILED_PRECONDITION}, naming the owner when known.
   */
  public static StatusRuntimeException wrongOwner(
      String key, int id, String server, long configNumber, Optional<String> owner) {
    Metadata trailers = new Metadata();
    trailers.put(REFUSED, "wrong-owner");
    trailers.put(CONFIG, Long.toString(configNumber));
    owner.ifPresent(o -> trailers.put(OWNER, o));
    String description =
        "key " + Quote.of(key) + " (ID " + id + ") is not served by " + server + " in configuration #"
            + configNumber + owner.map(o -> "; its owner is " + o).orElse("; no server owns it");
    return new QuietStatusException(Status.FAILED_PRECONDITION.withDescription(description), trailers);
  }

  /** A key this server will own but cannot serve yet (for example, a handoff is under way). */
  public static StatusRuntimeException notReady(String description) {
    Metadata trailers = new Metadata();
    trailers.put(REFUSED, "not-ready");
    return new QuietStatusException(Status.UNAVAILABLE.withDescription(description), trailers);
  }

  /**
   * A member of replica group {@code group} that does not lead it: {@code FAILED_PRECONDITION} naming
   * the leader's address as the owner, or, while no leader is known, {@code UNAVAILABLE} saying how many
   * members {@code member} sees. Either way the request was not applied.
   */
  public static StatusRuntimeException notLeader(
      String group, String member, Optional<String> leader, int visible, int members) {
    Metadata trailers = new Metadata();
    trailers.put(REFUSED, "not-leader");
    if (leader.isPresent()) {
      trailers.put(OWNER, leader.get());
      return new QuietStatusException(
          Status.FAILED_PRECONDITION.withDescription(
              "member " + Quote.of(member) + " of replica group " + Quote.of(group)
                  + " does not lead it; its leader is " + leader.get()),
          trailers);
    }
    return new QuietStatusException(
        Status.UNAVAILABLE.withDescription(
            "replica group " + Quote.of(group) + " has no leader: member " + Quote.of(member)
                + " sees " + visible + " of " + members + " members and a majority is "
                + (members / 2 + 1) + "; retry shortly"),
        trailers);
  }

  /** Returns whether {@code e} is a refusal, that is, the request was certainly not applied. */
  public static boolean isRefusal(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    return trailers != null && trailers.containsKey(REFUSED);
  }

  /** Returns whether {@code e} is a replica group member's refusal: it does not lead its group. */
  public static boolean isNotLeader(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    return trailers != null && "not-leader".equals(trailers.get(REFUSED));
  }

  /** Returns the owner named by a wrong-owner refusal, if any. */
  public static Optional<String> ownerHint(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    return trailers == null ? Optional.empty() : Optional.ofNullable(trailers.get(OWNER));
  }

  /** Returns the configuration number a refusal was made in, or -1 if it does not say. */
  public static long configNumber(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    String number = trailers == null ? null : trailers.get(CONFIG);
    if (number == null) {
      return -1;
    }
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException ignored) {
      return -1;
    }
  }
}
