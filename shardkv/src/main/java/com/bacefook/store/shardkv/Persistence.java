package com.bacefook.store.shardkv;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a server keeps its keys and its handoff state so that they survive a restart. Each {@link
 * Changes} is applied atomically; it is durable when a synced {@link #apply} returns, or when a stage
 * from {@link #synced} asked for after it completes. {@link #NONE} keeps nothing (the in-memory mode
 * for tests and benchmarks).
 */
interface Persistence extends AutoCloseable {
  /** Nothing is kept: every call does nothing and loads nothing. */
  Persistence NONE =
      new Persistence() {
        @Override
        public void apply(Changes changes, boolean sync) {}

        @Override
        public CompletionStage<Void> synced() {
          return SYNCED;
        }

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

  /** A stage that has completed: nothing is left to sync. */
  CompletionStage<Void> SYNCED = CompletableFuture.completedFuture(null);

  /** One stored key as loaded at startup; {@code userSeq} orders {@code all_users} (-1 for non-users). */
  record LoadedKey(String key, StoredValue value, long userSeq) {}

  /** Everything loaded at startup: the keys, and the state records by name (sorted). */
  record Loaded(List<LoadedKey> keys, Map<String, byte[]> state) {}

  /**
   * Applies {@code changes} atomically. With {@code sync} they, and every change applied before them,
   * are durable when this returns; without it they are durable once a later synced apply returns.
   */
  void apply(Changes changes, boolean sync);

  /**
   * Returns a stage that completes once every change applied before this call is durable, or fails
   * (with a {@link io.grpc.StatusRuntimeException} {@code INTERNAL}) if the sync failed. Concurrent
   * callers share one sync (group commit); it runs on a thread of its own, never the caller's.
   */
  CompletionStage<Void> synced();

  /** Reads everything kept. */
  Loaded load();

  /** Returns whether anything is kept at all. */
  boolean durable();

  @Override
  void close();
}
