package com.bacefook.store.sharding;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * One server of a configuration and the ranges it owns, in the order they were given to it. If the
 * server leads a replica group, {@code group} lists the group's name and replicas.
 */
public record ServerRanges(
    String server, ImmutableList<ShardRange> ranges, Optional<ReplicaSet> group) {
  /** Copies {@code ranges}; a server of its own. */
  public ServerRanges(String server, List<ShardRange> ranges) {
    this(server, ImmutableList.copyOf(ranges), Optional.empty());
  }

  /** Copies {@code ranges}. */
  public ServerRanges(String server, List<ShardRange> ranges, Optional<ReplicaSet> group) {
    this(server, ImmutableList.copyOf(ranges), group);
  }

  /** Returns this entry with {@code ranges} instead of its own. */
  public ServerRanges withRanges(List<ShardRange> newRanges) {
    return new ServerRanges(server, newRanges, group);
  }

  /**
   * Returns whether this entry is named by {@code name}: its server's address, or its group's name
   * or one of its replicas' addresses.
   */
  public boolean isNamedBy(String name) {
    return server.equals(name)
        || group.map(g -> g.name().equals(name) || g.has(name)).orElse(false);
  }

  @Override
  public String toString() {
    return server + group.map(g -> "(" + g + ")").orElse("") + ranges;
  }
}
