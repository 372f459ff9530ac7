package com.bacefook.store.gateway.dashboard;

import java.util.List;

/**
 * {@code GET /api/dashboard}: the cluster as the live page draws it.
 *
 * @param updatedAt when the gateway last asked (milliseconds since the epoch); 0 before the first
 *     sample
 * @param shardmaster the shardmaster's address
 * @param shardmasterError why the shardmaster did not answer the last time, or null
 * @param configNum the latest configuration's number the gateway knows
 * @param servers every server of that configuration, in join order
 * @param timeline the configurations the gateway knows of, newest first
 */
public record DashboardView(
    long updatedAt,
    String shardmaster,
    String shardmasterError,
    long configNum,
    List<Server> servers,
    List<ConfigChange> timeline) {
  /** Copies the lists. */
  public DashboardView {
    servers = List.copyOf(servers);
    timeline = List.copyOf(timeline);
  }

  /**
   * One server: what it said about itself, or its health alone if its Status call failed.
   *
   * @param health {@code SERVING}, {@code NOT_SERVING}, or the failed check's status code
   * @param configNum the configuration it acts on, or null if unknown
   * @param latestConfigNum the newest it has heard of, or null
   * @param keys keys held, or null
   * @param bytes rough size of its keys and values, or null
   * @param requestsPerSecond client requests answered per second since the previous sample, or
   *     null
   * @param rate the last minutes of {@code requestsPerSecond}, oldest first
   * @param ranges every range it serves, waits for or sends, in ID order
   * @param group the replica group it leads or is a member of, as it reported it, or null
   */
  public record Server(
      String server,
      String health,
      Long configNum,
      Long latestConfigNum,
      Long keys,
      Long bytes,
      Double requestsPerSecond,
      List<RatePoint> rate,
      List<Range> ranges,
      Group group) {
    /** Copies the lists. */
    public Server {
      rate = List.copyOf(rate);
      ranges = List.copyOf(ranges);
    }
  }

  /**
   * A server's replica group as the server sees it.
   *
   * @param name the group's name
   * @param raftId the reporting member's Raft ID
   * @param role the reporting member's role: {@code leader}, {@code follower} or {@code candidate}
   * @param leader the leader's client address, or empty if it knows none
   * @param replicas every member, in {@code --raft-peers} order
   */
  public record Group(String name, String raftId, String role, String leader, List<Replica> replicas) {
    /** Copies the list. */
    public Group {
      replicas = List.copyOf(replicas);
    }
  }

  /**
   * One member of a replica group, as the reporting member sees it (health and lag are known on the
   * leader).
   *
   * @param raftId its Raft ID
   * @param address its client address, or empty until it announced it
   * @param role {@code leader} or {@code follower}
   * @param healthy whether it answered the leader lately
   * @param lag log entries it has not committed that the leader has
   */
  public record Replica(String raftId, String address, String role, boolean healthy, long lag) {}

  /** Requests per second at a time (milliseconds since the epoch). */
  public record RatePoint(long at, double perSecond) {}

  /**
   * One range on a server.
   *
   * @param state {@code serving}, {@code waiting} (for its handoff) or {@code sending} (to its new
   *     owner)
   * @param peer sending: the new owner; waiting: the old owner, if known; else empty
   * @param configNum the configuration in which it entered this state
   * @param keysTotal keys in the handoff, once known
   * @param keysDone keys of the handoff delivered so far
   */
  public record Range(
      int lower, int upper, String state, String peer, long configNum, long keysTotal,
      long keysDone) {}
}
