package com.bacefook.store.client;

import com.bacefook.store.sharding.Configuration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Caches the shardmaster's configuration; {@link #refresh} queries it. Concurrent refreshes share one
 * query in flight: callers that arrive while it runs wait for its answer, and no lock is held across
 * the RPC.
 */
public final class ShardmasterConfigurationSource implements ConfigurationSource {
  private final ShardmasterClient shardmaster;
  private final AtomicReference<Configuration> latest = new AtomicReference<>(Configuration.EMPTY);
  private final AtomicReference<CompletableFuture<Configuration>> inFlight = new AtomicReference<>();

  /** Creates a source that asks {@code shardmaster}; nothing is fetched until the first refresh. */
  public ShardmasterConfigurationSource(ShardmasterClient shardmaster) {
    this.shardmaster = shardmaster;
  }

  @Override
  public Configuration current() {
    return latest.get();
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.grpc.StatusRuntimeException if the query fails (every caller sharing it gets it)
   */
  @Override
  public Configuration refresh() {
    CompletableFuture<Configuration> mine = new CompletableFuture<>();
    CompletableFuture<Configuration> shared = inFlight.compareAndExchange(null, mine);
    if (shared != null) {
      try {
        return shared.join();
      } catch (CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }
    try {
      Configuration fetched = shardmaster.query();
      // The number never goes backwards (a shardmaster without numbers always answers 0).
      Configuration known =
          latest.accumulateAndGet(fetched, (old, now) -> now.number() >= old.number() ? now : old);
      mine.complete(known);
      return known;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.compareAndSet(mine, null);
    }
  }
}
