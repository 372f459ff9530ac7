package com.bacefook.store.shardkv;

import java.util.List;
import java.util.Map;

/**
 * Where a server keeps its keys and its handoff state so that they survive a restart. Each {@link
 * Changes} is applied atomically; it is durable when {@link #apply} returns only if applied with
 * {@code sync} (client writes, handoff steps), else once a later synced apply returns (handoff bulk
 * writes, made durable by the step that ends them). {@link #NONE} keeps nothing (the in-memory mode
 * for tests and benchmarks).
 */
interface Persistence extends AutoCloseable {
  /** Nothing is kept: every call does nothing and loads nothing. */
  Persistence NONE =
      new Persistence() {
        @Override
        public void apply(Changes changes, boolean sync) {}

        @Override
        public Loaded load() {
          return new Loaded(List.of(), Map.of());
        }

        @Override
        public boolean durable() {
          return false;
        }

        @Override
        public void close() {}
      };

  /** One stored key as loaded at startup; {@code userSeq} orders {@code all_users} (-1 for non-users). */
  record LoadedKey(String key, StoredValue value, long userSeq) {}

  /** Everything loaded at startup: the keys, and the state records by name (sorted). */
  record Loaded(List<LoadedKey> keys, Map<String, byte[]> state) {}

  /**
   * Applies {@code changes} atomically. With {@code sync} they, and every change applied before them,
   * are durable when this returns; without it they are durable once a later synced apply returns.
   */
  void apply(Changes changes, boolean sync);

  /** Reads everything kept. */
  Loaded load();

  /** Returns whether anything is kept at all. */
  boolean durable();

  @Override
  void close();
}
