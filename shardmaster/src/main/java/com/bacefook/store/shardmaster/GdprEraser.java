package com.bacefook.store.shardmaster;

import com.bacefook.store.client.BatchResult;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.InvalidKeyException;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.SocialKeys;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a user and everything of theirs: each post in {@code user_<N>_posts} (wherever it lives), the
 * list itself, then {@code user_<N>}, which also drops the user from its server's {@code all_users}.
 * The user goes last, so a failed erase can simply be run again.
 */
final class GdprEraser {
  private static final Logger log = LoggerFactory.getLogger(GdprEraser.class);

  private final StoreClient store;

  GdprEraser(StoreClient store) {
    this.store = store;
  }

  /**
   * Erases {@code userKey}.
   *
   * @throws StatusRuntimeException {@code INVALID_ARGUMENT} for a key that is not {@code user_<N>},
   *     {@code NOT_FOUND} for an unknown user, or the status of the step that failed
   */
  void erase(String userKey) {
    try {
      KeyId.of(userKey);
    } catch (InvalidKeyException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (!SocialKeys.isUser(userKey)) {
      throw Status.INVALID_ARGUMENT
          .withDescription("GDPR delete takes a user key like user_17, not " + Quote.of(userKey))
          .asRuntimeException();
    }
    try {
      store.get(userKey);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw Status.NOT_FOUND.withDescription("unknown user " + userKey).asRuntimeException();
      }
      throw incomplete(userKey, e);
    }
    String postsKey = SocialKeys.postsOf(userKey);
    // Only well-formed post keys are erased: anything else written into the list is not a post.
    List<String> posts;
    try {
      posts =
          SocialKeys.splitList(getOrEmpty(postsKey)).stream().filter(SocialKeys::isValidPost).toList();
    } catch (StatusRuntimeException e) {
      throw incomplete(userKey, e);
    }
    // One DeleteMany per owning server rather than one Delete per post.
    BatchResult deleted = store.deleteManyErasing(posts, userKey);
    for (StatusRuntimeException failure : deleted.failures().values()) {
      if (failure.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw incomplete(userKey, failure);
      }
    }
    try {
      deleteIfPresent(postsKey);
      deleteIfPresent(userKey);
    } catch (StatusRuntimeException e) {
      throw incomplete(userKey, e);
    }
    log.info("GDPR delete of {}: erased the user and {} posts", userKey, posts.size());
  }

  private String getOrEmpty(String key) {
    try {
      return store.get(key).value();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return "";
      }
      throw e;
    }
  }

  private void deleteIfPresent(String key) {
    try {
      store.delete(key);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }

  private static StatusRuntimeException incomplete(String userKey, StatusRuntimeException cause) {
    return cause
        .getStatus()
        .withDescription(
            "GDPR delete of " + userKey + " is incomplete; run it again: "
                + cause.getStatus().getDescription())
        .asRuntimeException();
  }
}
