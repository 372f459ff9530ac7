package com.bacefook.store.client;

import com.bacefook.store.sharding.Configuration;

/** Where a routing client gets its configuration from. Implementations are thread-safe. */
public interface ConfigurationSource {
  /** Returns the configuration known now, without network traffic. */
  Configuration current();

  /** Fetches a fresh configuration (at most one fetch at a time) and returns the newest one known. */
  Configuration refresh();
}
