package com.bacefook.store.bench;

import com.bacefook.store.client.StoreClient;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link LoadGenerator} drives. Each client thread opens its own {@link Session}; a failed
 * operation throws (or completes its future with) a {@code StatusRuntimeException} where the target
 * speaks gRPC, anything else otherwise.
 */
interface LoadTarget {
  /** Opens the session of one client thread. */
  Session open();

  /** Whether {@link Session#async} is supported. */
  boolean supportsAsync();

  /** One client thread's connection to the target. */
  interface Session extends AutoCloseable {
    /** Runs {@code op} on {@code key} and waits for the reply; {@code value} is written by put and append. */
    void call(Op op, String key, String value);

    /** Sends {@code op} without waiting; the future completes with its reply (Get and Put only). */
    CompletableFuture<?> async(Op op, String key, String value);

    @Override
    void close();
  }

  /** The store through its routing client, shared by every client thread. */
  static LoadTarget store(StoreClient client) {
    Session session =
        new Session() {
          @Override
          public void call(Op op, String key, String value) {
            switch (op) {
              case GET -> client.get(key);
              case PUT -> client.put(key, value, "");
              case APPEND -> client.append(key, value);
              case DELETE -> client.delete(key);
            }
          }

          @Override
          public CompletableFuture<?> async(Op op, String key, String value) {
            return switch (op) {
              case GET -> client.getAsync(key);
              case PUT -> client.putAsync(key, value, "");
              case APPEND, DELETE ->
                  throw new IllegalArgumentException("the async load mode sends only get and put, not " + op.label());
            };
          }

          @Override
          public void close() {}
        };
    return new LoadTarget() {
      @Override
      public Session open() {
        return session;
      }

      @Override
      public boolean supportsAsync() {
        return true;
      }
    };
  }
}
