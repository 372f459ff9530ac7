package com.bacefook.store.shardkv;

import com.bacefook.store.rpc.RequestIds.RequestId;
import com.google.protobuf.ByteString;
import java.util.Optional;

/**
 * The store of a server on its own: changes are made at once, under {@link Ownership#serve}, and
 * made durable by the service's sync; every read is current. Request IDs are not needed here.
 */
final class LocalAccess implements StoreAccess {
  private final KeyValueStore store;
  private final Ownership ownership;

  LocalAccess(KeyValueStore store, Ownership ownership) {
    this.store = store;
    this.ownership = ownership;
  }

  @Override
  public boolean blocks() {
    return false;
  }

  @Override
  public void beforeRead() {}

  @Override
  public void handoffArrived(long configNumber, String from) {
    ownership.progress(configNumber, from);
  }

  @Override
  public void put(String key, StoredValue value, Optional<RequestId> id) {
    ownership.serve(key, keyId -> store.put(key, value));
  }

  @Override
  public void append(String key, ByteString data, Optional<RequestId> id) {
    ownership.serve(
        key,
        keyId -> {
          store.append(key, data);
          return null;
        });
  }

  @Override
  public void remove(String key, Optional<RequestId> id) {
    if (ownership.serve(key, keyId -> store.remove(key)) == null) {
      throw ShardkvService.notFound(key);
    }
  }

  @Override
  public void updateList(String key, String listKey, String item, boolean remove) {
    ownership.serve(
        key,
        keyId -> {
          store.updateList(listKey, item, remove);
          return null;
        });
  }
}
