package com.bacefook.store.shardmaster;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shardmaster's rules as pure functions from one configuration to the next. Each change returns a
 * configuration numbered one more than its input, or throws {@link RejectedChangeException} and
 * changes nothing.
 */
public final class ConfigurationRules {
  private ConfigurationRules() {}

  /** Adds {@code server} at the end of the join order and rebalances. */
  public static Configuration join(Configuration config, String server) {
    if (config.contains(server)) {
      throw new RejectedChangeException("server " + server + " has already joined");
    }
    List<String> servers = new ArrayList<>(config.serverNames());
    servers.add(server);
    return new Configuration(config.number() + 1, balanced(servers));
  }

  /**
   * Renames {@code replaced} to {@code server}: same place in the join order, same ranges (a replica
   * group now led from another address).
   */
  public static Configuration replace(Configuration config, String replaced, String server) {
    if (!config.contains(replaced)) {
      throw new RejectedChangeException(
          "server " + Quote.of(replaced) + " is not part of configuration #" + config.number()
              + "; nothing was replaced");
    }
    if (config.contains(server)) {
      throw new RejectedChangeException("server " + server + " has already joined");
    }
    List<ServerRanges> next = new ArrayList<>();
    for (ServerRanges entry : config.servers()) {
      next.add(
          entry.server().equals(replaced) ? new ServerRanges(server, entry.ranges()) : entry);
    }
    return new Configuration(config.number() + 1, next);
  }

  /** Removes all of {@code leaving} (or none, if any is unknown) and rebalances the rest. */
  public static Configuration leave(Configuration config, List<String> leaving) {
    if (leaving.isEmpty()) {
      throw new RejectedChangeException("leave needs at least one server");
    }
    Set<String> gone = new LinkedHashSet<>(leaving);
    for (String server : gone) {
      if (!config.contains(server)) {
        throw new RejectedChangeException(
            "server " + Quote.of(server) + " is not part of configuration #" + config.number()
                + "; nothing was removed");
      }
    }
    List<String> servers = new ArrayList<>(config.serverNames());
    servers.removeAll(gone);
    return new Configuration(config.number() + 1, balanced(servers));
  }

  /**
   * Gives exactly {@code range} to {@code server}, carving it out of the ranges that held parts of it;
   * their remaining pieces stay as separate ranges, and the moved range goes last in the server's list.
   */
  public static Configuration move(Configuration config, String server, ShardRange range) {
    if (!config.contains(server)) {
      throw new RejectedChangeException(
          "server " + Quote.of(server) + " is not part of configuration #" + config.number());
    }
    List<ServerRanges> next = new ArrayList<>();
    for (ServerRanges entry : config.servers()) {
      List<ShardRange> kept = new ArrayList<>();
      for (ShardRange owned : entry.ranges()) {
        kept.addAll(owned.minus(range));
      }
      if (entry.server().equals(server)) {
        kept.add(range);
      }
      next.add(new ServerRanges(entry.server(), kept));
    }
    return new Configuration(config.number() + 1, next);
  }

  /**
   * Splits {@code [0, 1000]} into contiguous ranges of equal size, in order; the first
   * {@code 1001 mod n} servers get one ID more. Servers beyond 1001 get nothing.
   */
  public static List<ServerRanges> balanced(List<String> servers) {
    Set<String> seen = new HashSet<>();
    List<ServerRanges> result = new ArrayList<>(servers.size());
    int n = servers.size();
    int next = KeyId.MIN;
    for (int i = 0; i < n; i++) {
      String server = servers.get(i);
      if (!seen.add(server)) {
        throw new IllegalArgumentException("server " + server + " listed twice");
      }
      int size = KeyId.COUNT / n + (i < KeyId.COUNT % n ? 1 : 0);
      List<ShardRange> ranges =
          size == 0 ? List.of() : List.of(new ShardRange(next, next + size - 1));
      next += size;
      result.add(new ServerRanges(server, ranges));
    }
    return result;
  }
}
