package com.bacefook.store.shardkv;

/**
 * A stored value and its metadata: for a post, the user who wrote it ({@code null} when unknown or not
 * a post). Metadata travels with the value when the key moves to another server.
 */
record StoredValue(String value, String author) {
  StoredValue withValue(String newValue) {
    return new StoredValue(newValue, author);
  }
}
