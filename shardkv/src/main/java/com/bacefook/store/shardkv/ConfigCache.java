package com.bacefook.store.shardkv;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.sharding.Configuration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Past configurations by number, fetched from the shardmaster once each (a numbered configuration
 * never changes). Used to walk configurations in order and to check that a handoff is one.
 */
final class ConfigCache {
  private static final int MAX_CACHED = 4_096;

  private final ShardmasterClient shardmaster;
  private final ConcurrentMap<Long, Configuration> cache = new ConcurrentHashMap<>();

  ConfigCache(ShardmasterClient shardmaster) {
    this.shardmaster = shardmaster;
  }

  /**
   * Returns configuration {@code number}.
   *
   * @throws StatusRuntimeException {@code FAILED_PRECONDITION} if the shardmaster has no such
   *     configuration, or the status of a failed query
   */
  Configuration get(long number) {
    Configuration config = cache.get(number);
    if (config != null) {
      return config;
    }
    try {
      config = shardmaster.query(number);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw Status.FAILED_PRECONDITION
            .withDescription("there is no configuration #" + number + " yet")
            .asRuntimeException();
      }
      throw e;
    }
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(number, config);
    return config;
  }

  /** Remembers {@code config}, as fetched some other way. */
  void put(Configuration config) {
    cache.putIfAbsent(config.number(), config);
  }
}
