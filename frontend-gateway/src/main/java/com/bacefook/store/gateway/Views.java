package com.bacefook.store.gateway;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/**
 * The JSON the API answers with. Field names are the original front end's; {@code shard} is the
 * address of the server that holds the item.
 */
public final class Views {
  private Views() {}

  /** A user, its name and the server that holds it. */
  public record User(String userId, String userName, String shard) {}

  /**
   * {@code GET /getAllUsers}: the users of the servers that answered, and the servers that did not
   * (empty when all did).
   */
  public record Users(List<User> users, List<Unanswered> unanswered) {
    /** Copies both lists. */
    public Users {
      users = List.copyOf(users);
      unanswered = List.copyOf(unanswered);
    }
  }

  /** A server that did not answer, and the gRPC status its call ended with. */
  public record Unanswered(String server, String error) {}

  /** A post, its text and the server that holds it. */
  public record Post(String postId, String postContent, String shard) {}

  /** {@code GET /allUserPosts}. */
  public record Posts(List<Post> posts) {
    /** Copies {@code posts}. */
    public Posts {
      posts = List.copyOf(posts);
    }
  }

  /** {@code GET /api/freePostId}: a post ID nobody uses yet. */
  public record FreePostId(String postId) {}

  /** An inclusive range of key IDs, as the wire protocol's {@code Shard} message names its bounds. */
  public record Shard(int lower, int upper) {}

  /** One server of the configuration in the wire protocol's shape. */
  public record ConfigEntry(String server, List<Shard> shards) {
    /** Copies {@code shards}. */
    public ConfigEntry {
      shards = List.copyOf(shards);
    }
  }

  /** {@code GET /query}: the configuration shaped like the wire protocol's {@code QueryResponse}. */
  public record Query(long configNum, List<ConfigEntry> config) {
    /** Copies {@code config}. */
    public Query {
      config = List.copyOf(config);
    }

    /** Returns the view of {@code config}. */
    public static Query of(Configuration config) {
      List<ConfigEntry> entries =
          config.servers().stream()
              .map(
                  server ->
                      new ConfigEntry(
                          server.server(),
                          server.ranges().stream()
                              .map(range -> new Shard(range.lower(), range.upper()))
                              .toList()))
              .toList();
      return new Query(config.number(), entries);
    }
  }

  /** An inclusive range of key IDs written as the pair {@code [lower, upper]}. */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  public record Range(int lower, int upper) {}

  /**
   * One server in the cluster view: its ranges and how many key IDs of {@code [0, 1000]} they cover
   * ({@code ids}; the keys it holds are in {@code GET /api/dashboard}).
   */
  public record ClusterServer(String server, List<Range> ranges, int ids) {
    /** Copies {@code ranges}. */
    public ClusterServer {
      ranges = List.copyOf(ranges);
    }

    /** Returns the view of one server of a configuration. */
    public static ClusterServer of(ServerRanges server) {
      List<Range> ranges =
          server.ranges().stream().map(range -> new Range(range.lower(), range.upper())).toList();
      int ids = server.ranges().stream().mapToInt(ShardRange::size).sum();
      return new ClusterServer(server.server(), ranges, ids);
    }
  }

  /** {@code GET /api/cluster}: the configuration as the UI's cluster view draws it. */
  public record Cluster(long configNum, List<ClusterServer> servers) {
    /** Copies {@code servers}. */
    public Cluster {
      servers = List.copyOf(servers);
    }

    /** Returns the view of {@code config}. */
    public static Cluster of(Configuration config) {
      return new Cluster(
          config.number(), config.servers().stream().map(ClusterServer::of).toList());
    }
  }

  /** Every error: what was wrong and how to fix it. */
  public record ErrorBody(String error) {}
}
