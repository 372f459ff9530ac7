package com.bacefook.store.shardkv;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed write where it happens into the status a client should see: a storage failure is
 * {@code INTERNAL} (logged here, once, with its cause) and never looks like a refusal a client could
 * retry; a write after {@link #close} is {@code UNAVAILABLE}: the server is stopping.
 */
final class GuardedPersistence implements Persistence {
  private static final Logger log = LoggerFactory.getLogger(GuardedPersistence.class);

  private final String self;
  private final Persistence store;
  private volatile boolean closed;

  GuardedPersistence(String self, Persistence store) {
    this.self = self;
    this.store = store;
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.grpc.StatusRuntimeException {@code INTERNAL} if the write failed, {@code UNAVAILABLE}
   *     if the server is stopping
   */
  @Override
  public void apply(Changes changes, boolean sync) {
    if (closed) {
      throw stopping();
    }
    try {
      store.apply(changes, sync);
    } catch (RuntimeException e) {
      if (closed) {
        throw stopping();
      }
      log.error("{}: write to the store failed", self, e);
      throw Status.INTERNAL
          .withDescription(self + ": write to the store failed: " + e.getMessage())
          .withCause(e)
          .asRuntimeException();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A failed sync fails the stage with {@code INTERNAL} (logged here, once), or {@code UNAVAILABLE}
   * if the server is stopping.
   */
  @Override
  public CompletionStage<Void> synced() {
    if (closed) {
      throw stopping();
    }
    return store
        .synced()
        .exceptionally(
            failure -> {
              Throwable cause =
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              if (closed) {
                throw stopping();
              }
              if (cause instanceof StatusRuntimeException status) {
                throw status;
              }
              log.error("{}: sync of the store failed", self, cause);
              throw Status.INTERNAL
                  .withDescription(self + ": sync of the store failed: " + cause.getMessage())
                  .withCause(cause)
                  .asRuntimeException();
            });
  }

  @Override
  public Loaded load() {
    return store.load();
  }

  @Override
  public boolean durable() {
    return store.durable();
  }

  @Override
  public void close() {
    closed = true;
    store.close();
  }

  private StatusRuntimeException stopping() {
    return Status.UNAVAILABLE.withDescription(self + " is stopping").asRuntimeException();
  }
}
