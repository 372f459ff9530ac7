package com.bacefook.store.sharding;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** One server of a configuration and the ranges it owns, in the order they were given to it. */
public record ServerRanges(String server, ImmutableList<ShardRange> ranges) {
  /** Copies {@code ranges}. */
  public ServerRanges(String server, List<ShardRange> ranges) {
    this(server, ImmutableList.copyOf(ranges));
  }

  @Override
  public String toString() {
    return server + ranges;
  }
}
