package com.bacefook.store.sharding;

import com.google.common.collect.ImmutableList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A replica group as the configuration lists it: its name and every member's client address (the
 * leader's included), in the order the group gave them.
 */
public record ReplicaSet(String name, ImmutableList<String> replicas) {
  /**
   * Checks and copies the values.
   *
   * @throws IllegalArgumentException if the name is blank, or an address is blank or given twice
   */
  public ReplicaSet {
    if (name.isBlank()) {
      throw new IllegalArgumentException("a replica group needs a name");
    }
    for (String replica : replicas) {
      if (replica.isBlank()) {
        throw new IllegalArgumentException(
            "replica group " + Quote.of(name) + " lists a blank address");
      }
    }
    if (new LinkedHashSet<>(replicas).size() != replicas.size()) {
      throw new IllegalArgumentException(
          "replica group " + Quote.of(name) + " lists an address twice: " + replicas);
    }
  }

  /** Copies {@code replicas}. */
  public ReplicaSet(String name, List<String> replicas) {
    this(name, ImmutableList.copyOf(replicas));
  }

  /** Returns whether {@code address} is one of the replicas. */
  public boolean has(String address) {
    return replicas.contains(address);
  }

  /**
   * Returns the replica listed after {@code address}, the first after the last: going round the
   * group from any member reaches every other. Empty if {@code address} is not a replica or the
   * group has no other.
   */
  public Optional<String> after(String address) {
    int index = replicas.indexOf(address);
    if (index < 0 || replicas.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(replicas.get((index + 1) % replicas.size()));
  }

  @Override
  public String toString() {
    return name + replicas;
  }
}
