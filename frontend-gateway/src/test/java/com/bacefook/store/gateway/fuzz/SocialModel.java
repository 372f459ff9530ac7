package com.bacefook.store.gateway.fuzz;

import com.bacefook.store.testkit.fuzz.Shown;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one fuzzing worker believes the store holds for the IDs it owns (its <em>pool</em>): which
 * users exist with which names, and which posts with which author and text. It predicts the answer
 * to each request from the README's rules alone (status, and for reads the exact body) and changes
 * when a write succeeds. Workers own disjoint pools, so each model is exact even while they run
 * together.
 *
 * <p>It refuses (with an {@link IllegalStateException}) to predict a write that could change a
 * sentinel or another worker's pool: such a request is a bug of the generator.
 */
final class SocialModel {
  /** A post: its author and text. */
  record Post(String author, String text) {}

  /** The longest name accepted, in UTF-16 units after stripping blanks (README: 80 characters). */
  static final int MAX_NAME = 80;

  /** The longest post accepted, in UTF-16 units (README: 5000 characters). */
  static final int MAX_POST = 5000;

  private final List<Integer> pool;
  private final Set<String> poolUsers = new HashSet<>();
  private final Set<String> poolPosts = new HashSet<>();
  private final Set<String> everyPoolUser;
  private final Sentinels sentinels;
  private final Set<String> servers;
  private final Map<String, String> users = new TreeMap<>();
  private final Map<String, Post> posts = new TreeMap<>();

  /**
   * @param pool the IDs this model's worker may write
   * @param everyPoolUser the user IDs of every worker's pool, the only users besides the sentinels
   *     that may ever exist
   * @param servers the storage servers' addresses, which answers name as the {@code shard}
   */
  SocialModel(
      List<Integer> pool, Set<String> everyPoolUser, Sentinels sentinels, Set<String> servers) {
    this.pool = List.copyOf(pool);
    this.everyPoolUser = Set.copyOf(everyPoolUser);
    this.sentinels = sentinels;
    this.servers = Set.copyOf(servers);
    for (int id : pool) {
      poolUsers.add("user_" + id);
      poolPosts.add("post_" + id);
    }
  }

  List<Integer> pool() {
    return pool;
  }

  /** The users this model holds, ID to name. */
  Map<String, String> users() {
    return Map.copyOf(users);
  }

  /** The posts this model holds, post ID to author and text. */
  Map<String, Post> posts() {
    return Map.copyOf(posts);
  }

  /** The wall of {@code userId}: its posts, post ID to text. */
  Map<String, String> wallOf(String userId) {
    Map<String, String> wall = new TreeMap<>();
    posts.forEach(
        (postId, post) -> {
          if (post.author().equals(userId)) {
            wall.put(postId, post.text());
          }
        });
    return wall;
  }

  List<String> existingUsers() {
    return new ArrayList<>(users.keySet());
  }

  List<String> existingPosts() {
    return new ArrayList<>(posts.keySet());
  }

  /** The name the gateway stores for {@code name}, or null if it must refuse it. */
  static String acceptedName(String name) {
    String stripped = name.strip();
    return stripped.isEmpty() || stripped.length() > MAX_NAME ? null : stripped;
  }

  static boolean acceptedText(String text) {
    return !text.isBlank() && text.length() <= MAX_POST;
  }

  // ---- writes ----

  Outcome addUser(String userId, String userName) {
    String name = acceptedName(userName);
    if (!JunkValues.isUserId(userId) || name == null) {
      return Outcome.only(400);
    }
    if (sentinels.hasUser(userId)) {
      return Outcome.only(409);
    }
    requireMine(poolUsers, userId);
    if (users.containsKey(userId)) {
      return Outcome.only(409);
    }
    return new Outcome(Set.of(200), () -> users.put(userId, name), this::namesAServer);
  }

  Outcome addPost(String postId, String text, String userId) {
    if (!JunkValues.isPostId(postId) || !JunkValues.isUserId(userId) || !acceptedText(text)) {
      return Outcome.only(400);
    }
    requireMine(poolUsers, userId);
    if (!users.containsKey(userId)) {
      return Outcome.only(404);
    }
    if (sentinels.hasPost(postId)) {
      return Outcome.only(409);
    }
    requireMine(poolPosts, postId);
    Post existing = posts.get(postId);
    if (existing != null && !existing.author().equals(userId)) {
      return Outcome.only(409);
    }
    return new Outcome(
        Set.of(200), () -> posts.put(postId, new Post(userId, text)), this::namesAServer);
  }

  Outcome deletePost(String postId, String userId) {
    if (!JunkValues.isPostId(postId) || !JunkValues.isUserId(userId)) {
      return Outcome.only(400);
    }
    requireMine(poolUsers, userId);
    if (!users.containsKey(userId)) {
      return Outcome.only(404);
    }
    if (sentinels.hasPost(postId)) {
      return Outcome.only(404);
    }
    requireMine(poolPosts, postId);
    Post existing = posts.get(postId);
    if (existing == null || !existing.author().equals(userId)) {
      return Outcome.only(404);
    }
    return Outcome.changing(204, () -> posts.remove(postId));
  }

  Outcome deleteUser(String userId) {
    if (!JunkValues.isUserId(userId)) {
      return Outcome.only(400);
    }
    requireMine(poolUsers, userId);
    if (!users.containsKey(userId)) {
      return Outcome.only(404);
    }
    return Outcome.changing(
        204,
        () -> {
          users.remove(userId);
          posts.values().removeIf(post -> post.author().equals(userId));
        });
  }

  private void requireMine(Set<String> mine, String id) {
    if (!mine.contains(id)) {
      throw new IllegalStateException("the generator would write " + id + ", outside its pool");
    }
  }

  // ---- reads ----

  /** {@code GET /api/user?userId=...} where the parameter decodes to {@code userId}. */
  Outcome user(String userId) {
    if (!JunkValues.isUserId(userId)) {
      return Outcome.only(400);
    }
    String name = sentinels.hasUser(userId) ? sentinels.users().get(userId) : users.get(userId);
    if (name == null) {
      return poolUsers.contains(userId)
          ? Outcome.only(404)
          : new Outcome(Set.of(200, 404), () -> {}, null);
    }
    return Outcome.checked(200, answer -> userProblem(answer, userId, name));
  }

  /** {@code GET /allUserPosts?userId=...} where the parameter decodes to {@code userId}. */
  Outcome wall(String userId) {
    if (!JunkValues.isUserId(userId)) {
      return Outcome.only(400);
    }
    Map<String, String> wall;
    if (sentinels.hasUser(userId)) {
      wall = sentinels.walls().get(userId);
    } else if (users.containsKey(userId)) {
      wall = wallOf(userId);
    } else {
      return poolUsers.contains(userId)
          ? Outcome.only(404)
          : new Outcome(Set.of(200, 404), () -> {}, null);
    }
    return Outcome.checked(200, answer -> wallProblem(answer, userId, wall));
  }

  Outcome allUsers() {
    return Outcome.checked(200, this::allUsersProblem);
  }

  Outcome freePostId() {
    return Outcome.checked(
        200,
        answer -> {
          String postId = answer.path("postId").asText(null);
          if (postId == null || !JunkValues.isPostId(postId)) {
            return problem("malformed postId", answer.toString());
          }
          if (sentinels.hasPost(postId) || posts.containsKey(postId)) {
            return problem("suggests a post ID that holds a post", postId);
          }
          return null;
        });
  }

  /** {@code GET /query} ({@code wire}) or {@code GET /api/cluster}: three servers, 1001 IDs. */
  Outcome configuration(boolean wire) {
    return Outcome.checked(
        200,
        answer -> {
          if (answer.path("configNum").asLong(0) < 1) {
            return problem("configNum not positive", answer.toString());
          }
          JsonNode list = answer.path(wire ? "config" : "servers");
          if (!list.isArray() || list.size() != servers.size()) {
            return problem("wrong number of servers", answer.toString());
          }
          int covered = 0;
          for (JsonNode server : list) {
            if (!servers.contains(server.path("server").asText())) {
              return problem("unknown server", server.toString());
            }
            for (JsonNode range : server.path(wire ? "shards" : "ranges")) {
              int lower = wire ? range.path("lower").asInt() : range.path(0).asInt();
              int upper = wire ? range.path("upper").asInt() : range.path(1).asInt();
              covered += upper - lower + 1;
            }
          }
          return covered == 1001
              ? null
              : problem("ranges do not cover 1001 IDs", answer.toString());
        });
  }

  // ---- checks of answers ----

  /** A problem with an answer: its kind, for grouping, then {@link #KIND_END} and the details. */
  static String problem(String kind, String detail) {
    return kind + KIND_END + detail;
  }

  /** Ends the kind of a problem. */
  static final String KIND_END = " | ";

  private String namesAServer(JsonNode answer) {
    return answer.isTextual() && servers.contains(answer.asText())
        ? null
        : problem("answer is not a server's address", answer.toString());
  }

  private String userProblem(JsonNode answer, String userId, String name) {
    if (!userId.equals(answer.path("userId").asText(null))) {
      return problem("wrong userId", userId + ": " + answer);
    }
    if (!servers.contains(answer.path("shard").asText())) {
      return problem("shard is not a server", answer.toString());
    }
    String actual = answer.path("userName").asText(null);
    return name.equals(actual)
        ? null
        : problem(
            "userName differs from what a successful write sent",
            userId
                + " is "
                + Shown.text(String.valueOf(actual), 60)
                + ", but "
                + Shown.text(name, 60)
                + " was sent");
  }

  private String wallProblem(JsonNode answer, String userId, Map<String, String> expected) {
    JsonNode list = answer.path("posts");
    if (!list.isArray()) {
      return problem("posts not an array", answer.toString());
    }
    Map<String, String> actual = new LinkedHashMap<>();
    for (JsonNode post : list) {
      String postId = post.path("postId").asText("?");
      if (actual.put(postId, post.path("postContent").asText(null)) != null) {
        return problem("a post listed twice", userId + " lists " + postId + " twice");
      }
      if (!servers.contains(post.path("shard").asText())) {
        return problem("shard is not a server", post.toString());
      }
    }
    if (actual.equals(expected)) {
      return null;
    }
    for (Map.Entry<String, String> post : expected.entrySet()) {
      String text = actual.get(post.getKey());
      if (text != null && !text.equals(post.getValue())) {
        return problem(
            "postContent differs from what a successful write sent",
            post.getKey()
                + " is "
                + Shown.text(text, 60)
                + ", but "
                + Shown.text(post.getValue(), 60)
                + " was sent");
      }
    }
    return problem(
        "wall lists other posts",
        userId + " lists " + actual.keySet() + ", not " + expected.keySet());
  }

  private String allUsersProblem(JsonNode answer) {
    JsonNode list = answer.path("users");
    if (!list.isArray()) {
      return problem("users not an array", answer.toString());
    }
    Map<String, String> mine = new TreeMap<>();
    Map<String, String> sentinelsListed = new TreeMap<>();
    int previous = -1;
    for (JsonNode user : list) {
      String userId = user.path("userId").asText("?");
      if (!JunkValues.isUserId(userId)) {
        return problem("a malformed user ID", user.toString());
      }
      int id = Integer.parseInt(userId.substring("user_".length()));
      if (id <= previous) {
        return problem("not ordered by ID", userId + " after user_" + previous);
      }
      previous = id;
      if (!servers.contains(user.path("shard").asText())) {
        return problem("shard is not a server", user.toString());
      }
      String name = user.path("userName").asText(null);
      if (sentinels.hasUser(userId)) {
        sentinelsListed.put(userId, name);
      } else if (poolUsers.contains(userId)) {
        mine.put(userId, name);
      } else if (!everyPoolUser.contains(userId)) {
        return problem("a user no valid request created", userId);
      }
    }
    if (!sentinelsListed.equals(new TreeMap<>(sentinels.users()))) {
      return problem(
          "sentinel users changed", sentinelsListed + ", not " + new TreeMap<>(sentinels.users()));
    }
    if (!mine.equals(users)) {
      for (Map.Entry<String, String> user : users.entrySet()) {
        String listed = mine.get(user.getKey());
        if (listed != null && !Objects.equals(listed, user.getValue())) {
          return problem(
              "userName differs from what a successful write sent",
              user.getKey()
                  + " is "
                  + Shown.text(listed, 60)
                  + ", but "
                  + Shown.text(user.getValue(), 60)
                  + " was sent");
        }
      }
      return problem("lists other users of the pool", mine.keySet() + ", not " + users.keySet());
    }
    return null;
  }
}
