package com.bacefook.store.shardkv;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Persistence} in memory that keeps the state records written and counts synced writes. */
final class RecordingPersistence implements Persistence {
  private final Map<String, byte[]> state = new TreeMap<>();
  private final AtomicInteger synced = new AtomicInteger();

  @Override
  public synchronized void apply(Changes changes, boolean sync) {
    for (Changes.StateWrite write : changes.state) {
      if (write.value() == null) {
        state.remove(write.name());
      } else {
        state.put(write.name(), write.value());
      }
    }
    if (sync) {
      synced.incrementAndGet();
    }
  }

  @Override
  public CompletionStage<Void> synced() {
    synced.incrementAndGet();
    return SYNCED;
  }

  @Override
  public synchronized Loaded load() {
    return new Loaded(List.of(), Map.copyOf(state));
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public void close() {}

  synchronized Map<String, byte[]> state() {
    return Map.copyOf(state);
  }

  synchronized StateRecords.SavedOwnership savedOwnership() {
    return StateRecords.decodeOwnership(state.get(StateRecords.OWNERSHIP));
  }

  int syncedWrites() {
    return synced.get();
  }
}
