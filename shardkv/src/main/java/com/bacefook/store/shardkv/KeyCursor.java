package com.bacefook.store.shardkv;

import java.util.Comparator;

/** A position in the order a scan lists keys in: by key ID, then by key. The empty key comes first. */
record KeyCursor(int id, String key) implements Comparable<KeyCursor> {
  private static final Comparator<KeyCursor> ORDER =
      Comparator.comparingInt(KeyCursor::id).thenComparing(KeyCursor::key);

  @Override
  public int compareTo(KeyCursor other) {
    return ORDER.compare(this, other);
  }
}
