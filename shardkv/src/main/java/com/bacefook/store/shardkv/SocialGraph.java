package com.bacefook.store.shardkv;

import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.SocialKeys;
import io.grpc.StatusRuntimeException;

/**
 * Keeps {@code user_<N>_posts} in step with the posts: links a post into its author's list when it is
 * written and unlinks it when it is deleted or changes author. The list may live on another server;
 * the update is idempotent, so it is retried until it succeeds or its deadline passes.
 */
final class SocialGraph {
  private final StoreAccess access;
  private final Ownership ownership;
  private final StoreClient cluster;

  SocialGraph(StoreAccess access, Ownership ownership, StoreClient cluster) {
    this.access = access;
    this.ownership = ownership;
    this.cluster = cluster;
  }

  /** Adds {@code post} to {@code author}'s list, or with {@code remove} takes it out. */
  void updatePostList(String author, String post, boolean remove) {
    if (ownership.applied().isOwner(ownership.self(), KeyId.of(author))) {
      applyPostListUpdate(author, post, remove);
      return;
    }
    try {
      cluster.updatePostList(author, post, remove);
    } catch (StatusRuntimeException e) {
      // Without the remote trailers: they describe the remote call, not the caller's request.
      throw e.getStatus()
          .augmentDescription("while updating " + SocialKeys.postsOf(author) + " on its owner")
          .asRuntimeException();
    }
  }

  /** Applies a post list update for a user this server serves. */
  void applyPostListUpdate(String author, String post, boolean remove) {
    access.updateList(author, SocialKeys.postsOf(author), post, remove);
  }
}
