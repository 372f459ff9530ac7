package com.bacefook.store.shardkv;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of writes that {@link Persistence} applies atomically: keys stored or removed, users added to
 * or removed from {@code all_users}, and named state records (handoff progress) set or cleared.
 */
final class Changes {
  record KeyWrite(String key, StoredValue value) {}

  record UserWrite(String key, long seq) {}

  record StateWrite(String name, byte[] value) {}

  final List<KeyWrite> keys = new ArrayList<>();
  final List<UserWrite> users = new ArrayList<>();
  final List<StateWrite> state = new ArrayList<>();

  /** Stores {@code value} under {@code key}; a null value removes the key. */
  Changes key(String key, StoredValue value) {
    keys.add(new KeyWrite(key, value));
    return this;
  }

  /** Records {@code key} as a user first stored at {@code seq}; a negative seq removes it. */
  Changes user(String key, long seq) {
    users.add(new UserWrite(key, seq));
    return this;
  }

  /** Sets the state record {@code name}; a null value clears it. */
  Changes state(String name, byte[] value) {
    state.add(new StateWrite(name, value));
    return this;
  }

  boolean isEmpty() {
    return keys.isEmpty() && users.isEmpty() && state.isEmpty();
  }
}
