package com.bacefook.store.client;

import com.bacefook.store.rpc.RequestIds.RequestId;
import java.util.TreeSet;

/**
 * Numbers one client's writes and remembers which are still in flight, so that each new request can
 * tell a replica group which answers it may forget: every request below the oldest one in flight is
 * done. Many threads may write through one client at once. Thread-safe.
 */
final class RequestNumbers {
  private final String clientId;
  private long last;
  /** Numbers handed out and not yet {@link #done}. Guarded by this. */
  private final TreeSet<Long> inFlight = new TreeSet<>();

  RequestNumbers(String clientId) {
    this.clientId = clientId;
  }

  /** Returns the next request's ID, in flight until {@link #done}. */
  synchronized RequestId next() {
    long seq = ++last;
    inFlight.add(seq);
    return new RequestId(clientId, seq, inFlight.first());
  }

  /** Notes that the client will not send request {@code id} again (answered, or given up on). */
  synchronized void done(RequestId id) {
    inFlight.remove(id.seq());
  }
}
