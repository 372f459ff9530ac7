package com.bacefook.store.shardmaster;

import com.bacefook.store.sharding.Configuration;
import java.util.List;

/** Where the shardmaster keeps its configurations so that they survive a restart. */
interface HistoryLog extends AutoCloseable {
  /** Keeps nothing: the in-memory mode. */
  HistoryLog NONE =
      new HistoryLog() {
        @Override
        public void append(Configuration config) {}

        @Override
        public List<Configuration> load() {
          return List.of();
        }

        @Override
        public void close() {}
      };

  /** Adds {@code config}; it is durable when this returns. */
  void append(Configuration config);

  /** Returns every configuration kept, in number order (without the empty configuration 0). */
  List<Configuration> load();

  @Override
  void close();
}
