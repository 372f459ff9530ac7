package com.bacefook.store.shardmaster;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.google.common.collect.Iterables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
    return join(config, server, Optional.empty());
  }

  /**
   * Adds {@code server}, as the leader of {@code group} if given, at the end of the join order and
   * rebalances. Rejected if the server, the group's name or any of its replicas is listed already.
   */
  public static Configuration join(
      Configuration config, String server, Optional<ReplicaSet> group) {
    requireUnlisted(config, server);
    if (group.isPresent()) {
      requireUnlisted(config, group.get().name());
      for (String replica : group.get().replicas()) {
        requireUnlisted(config, replica);
      }
    }
    List<ServerRanges> servers = new ArrayList<>(config.servers());
    servers.add(new ServerRanges(server, List.of(), group));
    return new Configuration(config.number() + 1, rebalanced(servers));
  }

  /** Rejects a change that would list {@code name} (an address or a group name) a second time. */
  private static void requireUnlisted(Configuration config, String name) {
    Optional<ServerRanges> listed = config.entryNamedBy(name);
    if (listed.isEmpty()) {
      return;
    }
    ServerRanges entry = listed.get();
    if (entry.server().equals(name)) {
      throw new RejectedChangeException(
          "server " + name + " has already joined"
              + entry.group().map(g -> ", leading replica group " + Quote.of(g.name())).orElse(""));
    }
    ReplicaSet group = entry.group().orElseThrow();
    throw new RejectedChangeException(
        Quote.of(name) + (group.name().equals(name) ? " has" : " is a replica of replica group "
            + Quote.of(group.name()) + ", which has") + " already joined, listed under its leader "
            + entry.server() + " in configuration #" + config.number() + "; nothing was changed");
  }

  /**
   * Renames {@code replaced} to {@code server}: same place in the join order, same ranges (a replica
   * group now led from another address), listing {@code group} if given, else the group {@code
   * replaced} listed. With {@code server} equal to {@code replaced}, only lists {@code group}
   * instead (a group's replicas changed).
   */
  public static Configuration replace(
      Configuration config, String replaced, String server, Optional<ReplicaSet> group) {
    if (!config.contains(replaced)) {
      throw new RejectedChangeException(
          "server " + Quote.of(replaced) + " is not part of configuration #" + config.number()
              + "; nothing was replaced");
    }
    ServerRanges old = config.entryNamedBy(replaced).orElseThrow();
    if (server.equals(replaced)) {
      if (group.isEmpty() || group.equals(old.group())) {
        throw new RejectedChangeException(
            "server " + server + " is listed already, with replica group "
                + old.group().map(ReplicaSet::toString).orElse("none") + "; nothing was changed");
      }
    } else if (config.contains(server)) {
      throw new RejectedChangeException("server " + server + " has already joined");
    }
    Optional<ReplicaSet> listed = group.or(old::group);
    List<ServerRanges> next = new ArrayList<>();
    for (ServerRanges entry : config.servers()) {
      next.add(entry == old ? new ServerRanges(server, entry.ranges(), listed) : entry);
    }
    for (ServerRanges entry : next) {
      if (!entry.server().equals(server) && listed.isPresent()) {
        requireApart(entry, listed.get(), config.number());
      }
    }
    return new Configuration(config.number() + 1, next);
  }

  /** Rejects listing {@code group} if another entry already names its name or one of its replicas. */
  private static void requireApart(ServerRanges other, ReplicaSet group, long number) {
    for (String name : Iterables.concat(List.of(group.name()), group.replicas())) {
      if (other.isNamedBy(name)) {
        throw new RejectedChangeException(
            Quote.of(name) + " is listed already, by " + other.server() + " in configuration #"
                + number + "; nothing was replaced");
      }
    }
  }

  /**
   * Removes all of {@code leaving} (or none, if any is unknown) and rebalances the rest. Each names a
   * server by its address, or a replica group by its name or any of its replicas' addresses.
   */
  public static Configuration leave(Configuration config, List<String> leaving) {
    if (leaving.isEmpty()) {
      throw new RejectedChangeException("leave needs at least one server");
    }
    Set<ServerRanges> gone = new LinkedHashSet<>();
    for (String name : leaving) {
      gone.add(
          config
              .entryNamedBy(name)
              .orElseThrow(
                  () ->
                      new RejectedChangeException(
                          "server " + Quote.of(name) + " is not part of configuration #"
                              + config.number() + "; nothing was removed")));
    }
    List<ServerRanges> servers = new ArrayList<>(config.servers());
    servers.removeAll(gone);
    return new Configuration(config.number() + 1, rebalanced(servers));
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
      next.add(entry.withRanges(kept));
    }
    return new Configuration(config.number() + 1, next);
  }

  /** {@link #balanced} for {@code entries}' servers, each keeping the replica group it lists. */
  private static List<ServerRanges> rebalanced(List<ServerRanges> entries) {
    List<ServerRanges> ranges =
        balanced(entries.stream().map(ServerRanges::server).toList());
    List<ServerRanges> result = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      result.add(entries.get(i).withRanges(ranges.get(i).ranges()));
    }
    return result;
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
