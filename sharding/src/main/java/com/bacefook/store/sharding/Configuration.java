package com.bacefook.store.sharding;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One numbered configuration of the cluster: the servers in join order, each with the ranges it owns.
 * Immutable; {@link #ownerOf} answers in constant time.
 */
public final class Configuration {
  /** The configuration before any server joined: number 0, no servers. */
  public static final Configuration EMPTY = new Configuration(0, List.of());

  private final long number;
  private final ImmutableList<ServerRanges> servers;
  /** For each key ID, the index in {@link #servers} of its owner, or -1. */
  private final int[] ownerIndex;

  /**
   * Creates a configuration.
   *
   * @throws IllegalArgumentException if a server is listed twice or two ranges overlap
   */
  public Configuration(long number, List<ServerRanges> servers) {
    this.number = number;
    this.servers = ImmutableList.copyOf(servers);
    this.ownerIndex = new int[KeyId.COUNT];
    Arrays.fill(ownerIndex, -1);
    for (int i = 0; i < this.servers.size(); i++) {
      ServerRanges entry = this.servers.get(i);
      for (int j = 0; j < i; j++) {
        if (this.servers.get(j).server().equals(entry.server())) {
          throw new IllegalArgumentException("server " + entry.server() + " is listed twice");
        }
      }
      for (ShardRange range : entry.ranges()) {
        for (int id = range.lower(); id <= range.upper(); id++) {
          if (ownerIndex[id] >= 0) {
            throw new IllegalArgumentException(
                "ID " + id + " is owned by both " + this.servers.get(ownerIndex[id]).server()
                    + " and " + entry.server());
          }
          ownerIndex[id] = i;
        }
      }
    }
  }

  /** Returns this configuration's number; each change the shardmaster makes adds one. */
  public long number() {
    return number;
  }

  /** Returns the servers in join order with their ranges. */
  public ImmutableList<ServerRanges> servers() {
    return servers;
  }

  /** Returns the servers' names in join order. */
  public ImmutableList<String> serverNames() {
    return servers.stream().map(ServerRanges::server).collect(ImmutableList.toImmutableList());
  }

  /** Returns whether {@code server} is part of this configuration. */
  public boolean contains(String server) {
    return indexOf(server) >= 0;
  }

  /** Returns the ranges {@code server} owns; empty if it owns none or is not listed. */
  public ImmutableList<ShardRange> rangesOf(String server) {
    int index = indexOf(server);
    return index < 0 ? ImmutableList.of() : servers.get(index).ranges();
  }

  /**
   * Returns the entry {@code name} names: the server of that address, else the replica group of
   * that name or with a replica at that address (see {@link ServerRanges#isNamedBy}).
   */
  public Optional<ServerRanges> entryNamedBy(String name) {
    int index = indexOf(name);
    if (index >= 0) {
      return Optional.of(servers.get(index));
    }
    return servers.stream().filter(entry -> entry.isNamedBy(name)).findFirst();
  }

  /** Returns the server that owns key ID {@code id}, if any. */
  public Optional<String> ownerOf(int id) {
    int index = ownerIndex[id];
    return index < 0 ? Optional.empty() : Optional.of(servers.get(index).server());
  }

  /**
   * Returns the member to try after {@code server}, a member of a replica group this configuration
   * lists, when it did not answer: the group's next replica ({@link ReplicaSet#after}). Empty for a
   * server of its own or an address this configuration does not know.
   */
  public Optional<String> replicaAfter(String server) {
    return entryNamedBy(server).flatMap(ServerRanges::group).flatMap(group -> group.after(server));
  }

  /** Returns whether {@code server} owns key ID {@code id}. */
  public boolean isOwner(String server, int id) {
    int index = ownerIndex[id];
    return index >= 0 && servers.get(index).server().equals(server);
  }

  private int indexOf(String server) {
    for (int i = 0; i < servers.size(); i++) {
      if (servers.get(i).server().equals(server)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Configuration other && number == other.number && servers.equals(other.servers);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(number) * 31 + servers.hashCode();
  }

  @Override
  public String toString() {
    return "Configuration#" + number + servers;
  }
}
