package com.bacefook.store.testkit.history;

import com.bacefook.store.client.StoreClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects the operations of many concurrent clients into one history. Thread-safe: wrap each client
 * thread's {@link StoreClient} with {@link #client} and let them all record here.
 */
public final class HistoryRecorder {
  private final ConcurrentLinkedQueue<Operation> operations = new ConcurrentLinkedQueue<>();

  /** Returns a client that issues its calls through {@code client} and records them as {@code clientId}. */
  public RecordingClient client(int clientId, StoreClient client) {
    return new RecordingClient(clientId, client, this);
  }

  /** Adds {@code operation} to the history. */
  public void record(Operation operation) {
    operations.add(operation);
  }

  /** Returns the operations recorded so far, in invocation order. */
  public List<Operation> history() {
    List<Operation> snapshot = new ArrayList<>(operations);
    snapshot.sort(Comparator.comparingLong(Operation::invokeNanos));
    return snapshot;
  }

  /** Returns how many operations were recorded so far. */
  public int size() {
    return operations.size();
  }
}
