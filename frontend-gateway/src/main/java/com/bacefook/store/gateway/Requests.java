package com.bacefook.store.gateway;

/**
 * The JSON bodies the API accepts, exactly as the original front end sends them. Every field is
 * required; {@link JsonCodec} refuses a body that leaves one out or gives it the wrong JSON type.
 */
public final class Requests {
  private Requests() {}

  /** {@code POST /addUser}. */
  public record AddUser(String userId, String userName) {}

  /** {@code POST /addPost}: {@code userId} is the author. */
  public record AddPost(String postId, String postContent, String userId) {}

  /** {@code POST /deleteUser}: a GDPR delete of the user and all of their posts. */
  public record DeleteUser(String id) {}

  /** {@code POST /deletePost}. */
  public record DeletePost(String postId, String userId) {}
}
