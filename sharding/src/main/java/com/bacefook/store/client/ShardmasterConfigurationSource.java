package com.bacefook.store.client;

import com.bacefook.store.sharding.Configuration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Caches the shardmaster's configuration; {@link #refresh} queries it. Concurrent refreshes share one
 * query.
 */
public final class ShardmasterConfigurationSource implements ConfigurationSource {
  private final ShardmasterClient shardmaster;
  private final AtomicReference<Configuration> latest = new AtomicReference<>(Configuration.EMPTY);
  private final Object fetchLock = new Object();

  /** Creates a source that asks {@code shardmaster}; nothing is fetched until the first refresh. */
  public ShardmasterConfigurationSource(ShardmasterClient shardmaster) {
    this.shardmaster = shardmaster;
  }

  @Override
  public Configuration current() {
    return latest.get();
  }

  @Override
  public Configuration refresh() {
    Configuration before = latest.get();
    synchronized (fetchLock) {
      // Another thread may have fetched while this one waited: one fetch serves them all.
      if (latest.get() != before) {
        return latest.get();
      }
      Configuration fetched = shardmaster.query();
      latest.set(fetched);
      return fetched;
    }
  }
}
