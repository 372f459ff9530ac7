package com.bacefook.store.gateway;

import com.bacefook.store.client.AllUsers;
import com.bacefook.store.client.Reply;
import com.bacefook.store.client.ServerUsers;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.SocialKeys;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The social network's operations (users, walls, posts) over the sharded store. Knows nothing of
 * HTTP: it validates what users typed ({@link Inputs}), refuses with {@link ClientError}s, and lets
 * the store's {@link StatusRuntimeException}s through for {@link ApiErrors} to map.
 *
 * <p>Checks such as "is this ID taken" and the write that follows are two operations, not one: two
 * sign-ups racing for the same ID may both pass the check, and the second name wins.
 */
public final class SocialService {
  private final StoreClient store;
  private final ShardmasterClient shardmaster;

  /** Creates a service over {@code store}; GDPR deletes go through {@code shardmaster}. */
  public SocialService(StoreClient store, ShardmasterClient shardmaster) {
    this.store = store;
    this.shardmaster = shardmaster;
  }

  /**
   * Returns every user of every server that answered, ordered by ID, with the server that holds
   * each, and the servers that did not answer; the first server's error if none answered.
   */
  public Views.Users allUsers() {
    Map<String, Views.User> users =
        new TreeMap<>(Comparator.comparingInt(KeyId::of).thenComparing(Comparator.naturalOrder()));
    AllUsers gathered = store.allUsers();
    if (gathered.answered().isEmpty() && !gathered.unanswered().isEmpty()) {
      throw gathered.unanswered().get(0).error();
    }
    for (ServerUsers held : gathered.answered()) {
      for (String userId : held.users()) {
        if (!users.containsKey(userId)) {
          // A user deleted since all_users was read is simply left out.
          find(userId).ifPresent(name -> users.put(userId, user(userId, name)));
        }
      }
    }
    List<Views.Unanswered> unanswered = new ArrayList<>();
    for (AllUsers.Unanswered server : gathered.unanswered()) {
      Status status = server.error().getStatus();
      String description = status.getDescription() == null ? "" : ": " + status.getDescription();
      String cause = status.getCause() == null ? "" : " (" + status.getCause().getMessage() + ")";
      unanswered.add(new Views.Unanswered(server.server(), status.getCode() + description + cause));
    }
    return new Views.Users(List.copyOf(users.values()), unanswered);
  }

  /** Returns the user {@code userId}; {@link ClientError.Reason#NOT_FOUND} if there is none. */
  public Views.User user(String userId) {
    Inputs.userId("userId", userId);
    return user(userId, requireUser(userId));
  }

  /** Signs up a user and returns the address of the server that holds it. */
  public String addUser(String userId, String userName) {
    Inputs.userId("userId", userId);
    String name = Inputs.userName("userName", userName);
    if (find(userId).isPresent()) {
      throw ClientError.taken("user ID " + userId + " is taken: pick another one");
    }
    return store.put(userId, name, "").server();
  }

  /** Returns the posts on {@code userId}'s wall, oldest first, with the server that holds each. */
  public List<Views.Post> posts(String userId) {
    Inputs.userId("userId", userId);
    requireUser(userId);
    List<Views.Post> posts = new ArrayList<>();
    for (String postId : postIds(userId)) {
      // A post deleted since the list was read is simply left out.
      find(postId).ifPresent(text -> posts.add(new Views.Post(postId, text.value(), text.server())));
    }
    return posts;
  }

  /**
   * Writes a post on {@code userId}'s wall and returns the address of the server that holds it. An
   * author may rewrite their own post; another user's post ID is taken.
   */
  public String addPost(String postId, String postContent, String userId) {
    Inputs.postId("postId", postId);
    Inputs.userId("userId", userId);
    String text = Inputs.postText("postContent", postContent);
    requireUser(userId);
    if (find(postId).isPresent() && !postIds(userId).contains(postId)) {
      throw ClientError.taken(
          "post ID " + postId + " is taken by another user: pick another one"
              + " (GET /api/freePostId suggests one)");
    }
    return store.put(postId, text, userId).server();
  }

  /** Deletes {@code postId} from {@code userId}'s wall. */
  public void deletePost(String postId, String userId) {
    Inputs.postId("postId", postId);
    Inputs.userId("userId", userId);
    requireUser(userId);
    if (!postIds(userId).contains(postId)) {
      throw ClientError.notFound(userId + " has no post " + postId);
    }
    try {
      store.delete(postId);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      // The post is gone but the wall still lists it: finish the job.
      store.updatePostList(userId, postId, true);
    }
  }

  /** Erases {@code userId} and all of their posts from the cluster (a GDPR delete). */
  public void deleteUser(String userId) {
    Inputs.userId("id", userId);
    try {
      shardmaster.gdprDelete(userId);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw ClientError.notFound("unknown user " + userId);
      }
      throw e;
    }
  }

  /** Returns the shardmaster's current configuration. */
  public Configuration configuration() {
    return store.refreshConfiguration();
  }

  /** Returns a post ID that holds no post, picked at random so that new posts spread over servers. */
  public String freePostId() {
    int start = ThreadLocalRandom.current().nextInt(KeyId.COUNT);
    for (int i = 0; i < KeyId.COUNT; i++) {
      String postId = SocialKeys.post(KeyId.MIN + (start + i) % KeyId.COUNT);
      if (find(postId).isEmpty()) {
        return postId;
      }
    }
    throw ClientError.taken("all " + KeyId.COUNT + " post IDs are taken: delete a post first");
  }

  private static Views.User user(String userId, Reply<String> name) {
    return new Views.User(userId, name.value(), name.server());
  }

  private Reply<String> requireUser(String userId) {
    return find(userId)
        .orElseThrow(() -> ClientError.notFound("unknown user " + userId + ": sign up first"));
  }

  private List<String> postIds(String userId) {
    return find(SocialKeys.postsOf(userId))
        .map(list -> SocialKeys.splitList(list.value()))
        .orElse(List.of());
  }

  /** Returns the value of {@code key} and its server, or empty if the key holds nothing. */
  private Optional<Reply<String>> find(String key) {
    try {
      return Optional.of(store.get(key));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
