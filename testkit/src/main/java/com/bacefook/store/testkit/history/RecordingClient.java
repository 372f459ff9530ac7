package com.bacefook.store.testkit.history;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.testkit.history.Operation.Kind;
import com.bacefook.store.testkit.history.Operation.Outcome;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * A {@link StoreClient} seen through a {@link HistoryRecorder}: each call is issued, timed and recorded,
 * and returns the recorded {@link Operation}. A call that certainly had no effect is not recorded and
 * its {@link StatusRuntimeException} reaches the caller.
 *
 * <p>What counts as certain follows {@link StoreClient}'s retries. It retries a {@code Put} or {@code
 * Delete} after an ambiguous failure, so the error it finally reports, even a refusal, may hide an
 * earlier attempt that was applied: every failed {@code Put} and {@code Delete} (other than a {@code
 * Delete}'s {@code NOT_FOUND}) is recorded as {@link Outcome#UNKNOWN}. An {@code Append} is never
 * retried after an ambiguous failure, so its refusals and {@code INVALID_ARGUMENT} are definite. A
 * failed {@code Get} changes nothing and constrains nothing, so it is never recorded.
 */
public final class RecordingClient {
  private final int clientId;
  private final StoreClient client;
  private final HistoryRecorder recorder;

  RecordingClient(int clientId, StoreClient client, HistoryRecorder recorder) {
    this.clientId = clientId;
    this.client = client;
    this.recorder = recorder;
  }

  /** Returns the id its operations are recorded with. */
  public int clientId() {
    return clientId;
  }

  /** Reads {@code key}. */
  public Operation get(String key) {
    return issue(key, Kind.GET, null, () -> client.get(key).value());
  }

  /** Stores {@code data} under {@code key}; {@code user} names a post's author, or is empty. */
  public Operation put(String key, String data, String user) {
    return issue(
        key,
        Kind.PUT,
        data,
        () -> {
          client.put(key, data, user);
          return null;
        });
  }

  /** Appends {@code data} to {@code key}. */
  public Operation append(String key, String data) {
    return issue(
        key,
        Kind.APPEND,
        data,
        () -> {
          client.append(key, data);
          return null;
        });
  }

  /** Deletes {@code key}. */
  public Operation delete(String key) {
    return issue(
        key,
        Kind.DELETE,
        null,
        () -> {
          client.delete(key);
          return null;
        });
  }

  private Operation issue(String key, Kind kind, String input, Supplier<String> call) {
    long invoked = System.nanoTime();
    Outcome outcome;
    String output = null;
    try {
      output = call.get();
      outcome = Outcome.OK;
    } catch (StatusRuntimeException e) {
      outcome = classify(kind, e);
      if (outcome == null) {
        throw e;
      }
    }
    Operation operation =
        new Operation(clientId, key, kind, input, outcome, output, invoked, System.nanoTime());
    recorder.record(operation);
    return operation;
  }

  /** Returns the outcome a failure stands for, or {@code null} if the call certainly had no effect. */
  static Outcome classify(Kind kind, StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    switch (kind) {
      case GET:
        return code == Status.Code.NOT_FOUND ? Outcome.NOT_FOUND : null;
      case DELETE:
        return code == Status.Code.NOT_FOUND ? Outcome.NOT_FOUND : Outcome.UNKNOWN;
      case PUT:
        return Outcome.UNKNOWN;
      case APPEND:
        return Refusals.isRefusal(e) || code == Status.Code.INVALID_ARGUMENT ? null : Outcome.UNKNOWN;
      default:
        throw new AssertionError(kind);
    }
  }
}
