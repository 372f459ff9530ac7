package com.bacefook.store.shardkv;

import com.bacefook.store.rpc.RequestIds.RequestId;
import com.google.protobuf.ByteString;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How client requests change and read the keys a server serves: {@linkplain LocalAccess directly}
 * (a server on its own), or {@linkplain ReplicaGroup through its replica group's log}. Every change
 * checks ownership first and is refused, unapplied, if the key is not served.
 */
interface StoreAccess {
  /** A completed stage, for the calls that are done when they return. */
  CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  /**
   * Whether the calls below may wait: then the service uses their asynchronous forms on the event
   * loops, and makes the blocking ones only off them.
   */
  boolean blocks();

  /**
   * Returns once a read of the store sees every write acknowledged before the call.
   *
   * @throws io.grpc.StatusRuntimeException a refusal if this server cannot give such a read now
   */
  void beforeRead();

  /** Stores {@code value} under {@code key} for request {@code id} (if the client named one). */
  void put(String key, StoredValue value, Optional<RequestId> id);

  /** Appends {@code data} to the value of {@code key} for request {@code id}. */
  void append(String key, ByteString data, Optional<RequestId> id);

  /**
   * Removes {@code key} for request {@code id}.
   *
   * @throws io.grpc.StatusRuntimeException {@code NOT_FOUND} if it had no value
   */
  void remove(String key, Optional<RequestId> id);

  /**
   * Notes that keys of the handoff from {@code from} for configuration {@code configNumber} arrived
   * ({@link Ownership#progress}): its wait's timeout starts again.
   */
  void handoffArrived(long configNumber, String from);

  /**
   * As {@link #beforeRead}, without blocking: the stage completes once a read is linearizable, or
   * fails with the refusal {@code beforeRead} would throw (which it may also throw at once).
   */
  default CompletionStage<Void> beforeReadAsync() {
    beforeRead();
    return DONE;
  }

  /** As {@link #put}, without blocking: the stage completes once the write is applied. */
  default CompletionStage<Void> putAsync(String key, StoredValue value, Optional<RequestId> id) {
    put(key, value, id);
    return DONE;
  }

  /** As {@link #append}, without blocking: the stage completes once the write is applied. */
  default CompletionStage<Void> appendAsync(String key, ByteString data, Optional<RequestId> id) {
    append(key, data, id);
    return DONE;
  }

  /** As {@link #remove}, without blocking: the stage completes once the key is removed. */
  default CompletionStage<Void> removeAsync(String key, Optional<RequestId> id) {
    remove(key, id);
    return DONE;
  }

  /** Adds {@code item} to the list under {@code listKey}, or takes it out, if {@code key} is served. */
  void updateList(String key, String listKey, String item, boolean remove);
}
