package com.bacefook.store.testkit;

import com.bacefook.store.client.ShardmasterClient;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the leader of a replicated shardmaster: the member that answers a query itself. A follower
 * refuses, naming the leader; a member that is down, or leads without a majority, is unavailable.
 */
public final class ShardmasterLeader {
  /** How long one member may take to answer. */
  private static final Duration PROBE_DEADLINE = Duration.ofSeconds(2);

  private ShardmasterLeader() {}

  /**
   * Returns the first of {@code members} (client addresses, reached through {@code channels}) that
   * answers a query itself, if any.
   */
  public static Optional<String> among(List<String> members, Function<String, Channel> channels) {
    return members.stream().filter(member -> answersQueries(channels.apply(member))).findFirst();
  }

  private static boolean answersQueries(Channel member) {
    try {
      // A client of this one channel: it cannot follow a refusal to the leader.
      new ShardmasterClient(member, PROBE_DEADLINE, PROBE_DEADLINE).query();
      return true;
    } catch (StatusRuntimeException e) {
      return false; // a follower, or down
    }
  }
}
