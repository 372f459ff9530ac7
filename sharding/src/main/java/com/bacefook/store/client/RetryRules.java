package com.bacefook.store.client;

import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.rpc.RequestIds;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.Quote;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;

/**
 * When the asynchronous and batch paths of {@link StoreClient} try a request again, by the same rules as
 * its blocking path: after a refusal (never applied) or a failure to connect (never sent) always; after
 * an unknown outcome only for reads. Pure.
 */
final class RetryRules {
  static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
  static final Duration MAX_BACKOFF = Duration.ofMillis(200);

  private RetryRules() {}

  /**
   * Whether the request that failed with {@code e} may be sent again: also a write whose outcome is
   * unknown, if the server keeps the answer to its request ID ({@link RequestIds#isDeduplicated}).
   */
  static boolean retryable(StatusRuntimeException e, boolean read) {
    return Refusals.isRefusal(e)
        || neverSent(e)
        || (read && isAmbiguous(e))
        || RequestIds.isDeduplicated(e);
  }

  /**
   * The owner a refusal names, if it was made in a configuration at least as new as {@code config}
   * (an older one points the wrong way), or the leader a replica group member names.
   */
  static Optional<String> hint(StatusRuntimeException e, Configuration config) {
    if (Refusals.isNotLeader(e)
        || (Refusals.isRefusal(e) && Refusals.configNumber(e) >= config.number())) {
      return Refusals.ownerHint(e);
    }
    return Optional.empty();
  }

  /**
   * Where to try next after {@code server}, a member of a replica group, failed with {@code e}
   * without naming another server: the group's next member ({@link Configuration#replicaAfter}),
   * when {@code server} did not answer at all ({@code UNAVAILABLE}, not a refusal: it may be down) or
   * said its group has no leader. A member that does not lead names its leader, so a request finds a
   * new leader as soon as the group has elected it, before the shardmaster lists it. Empty otherwise.
   */
  static Optional<String> detour(StatusRuntimeException e, Configuration config, String server) {
    boolean unanswered =
        e.getStatus().getCode() == Status.Code.UNAVAILABLE
            && (!Refusals.isRefusal(e) || Refusals.isNotLeader(e));
    return unanswered && Refusals.ownerHint(e).isEmpty()
        ? config.replicaAfter(server)
        : Optional.empty();
  }

  /** The backoff after {@code backoff}: doubled, at most {@link #MAX_BACKOFF}. */
  static Duration next(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  /** Whether the call failed to connect, so the request never reached a server. */
  static boolean neverSent(StatusRuntimeException e) {
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAmbiguous(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }

  /** The failure of a key no server owns in {@code config}. */
  static StatusRuntimeException noOwner(String key, int id, Configuration config) {
    return Status.UNAVAILABLE
        .withDescription(
            "no server owns key " + Quote.of(key) + " (ID " + id + ") in configuration #"
                + config.number() + "; join a server first")
        .asRuntimeException();
  }

  /** Waits out {@code backoff}; an interrupt ends the operation as {@code CANCELLED}. */
  static void sleep(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }

  /** {@code t} as a status exception, keeping its trailers. */
  static StatusRuntimeException asStatus(Throwable t) {
    if (t instanceof StatusRuntimeException e) {
      return e;
    }
    return Status.fromThrowable(t).asRuntimeException(Status.trailersFromThrowable(t));
  }
}
