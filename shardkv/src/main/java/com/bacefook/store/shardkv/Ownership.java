package com.bacefook.store.shardkv;

import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;

/** The one place a server decides whether it serves a key: it must own the key's ID right now. */
final class Ownership {
  private final String self;
  private volatile Configuration config = Configuration.EMPTY;

  Ownership(String self) {
    this.self = self;
  }

  String self() {
    return self;
  }

  Configuration configuration() {
    return config;
  }

  void update(Configuration next) {
    config = next;
  }

  /**
   * Returns the ID of {@code key} if this server serves it.
   *
   * @throws com.bacefook.store.sharding.InvalidKeyException if the key is malformed
   * @throws io.grpc.StatusRuntimeException {@code FAILED_PRECONDITION} naming the owner otherwise
   */
  int check(String key) {
    int id = KeyId.of(key);
    Configuration current = config;
    if (!current.isOwner(self, id)) {
      throw Refusals.wrongOwner(key, id, self, current.number(), current.ownerOf(id));
    }
    return id;
  }

  /** Returns whether this server owns {@code id} in the latest configuration. */
  boolean owns(int id) {
    return config.isOwner(self, id);
  }
}
