package com.bacefook.store.shardkv;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.GetResponse;
import com.bacefook.store.proto.PostListUpdate;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.sharding.InvalidKeyException;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.SocialKeys;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * Translates Shardkv RPCs into store operations: checks ownership, applies the social-graph rules, and
 * maps failures to statuses. Holds no state of its own.
 */
final class ShardkvService extends ShardkvGrpc.ShardkvImplBase {
  private static final Empty EMPTY = Empty.getDefaultInstance();

  private final KeyValueStore store;
  private final Ownership ownership;
  private final SocialGraph graph;

  ShardkvService(KeyValueStore store, Ownership ownership, SocialGraph graph) {
    this.store = store;
    this.ownership = ownership;
    this.graph = graph;
  }

  @Override
  public void get(GetRequest request, StreamObserver<GetResponse> response) {
    answer(
        response,
        () -> {
          String key = request.getKey();
          if (key.equals(SocialKeys.ALL_USERS)) {
            return GetResponse.newBuilder().setData(store.allUsers()).build();
          }
          ownership.check(key);
          StoredValue value = store.get(key).orElseThrow(() -> notFound(key));
          return GetResponse.newBuilder().setData(value.value()).build();
        });
  }

  @Override
  public void put(PutRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          String key = writableKey(request.getKey());
          String sender = Handoff.currentSender();
          if (sender != null) {
            String author = request.getUser().isEmpty() ? null : request.getUser();
            store.put(key, new StoredValue(request.getData(), author));
            return EMPTY;
          }
          if (!SocialKeys.isPost(key) || request.getUser().isEmpty()) {
            store.put(key, new StoredValue(request.getData(), null));
            return EMPTY;
          }
          String author = request.getUser();
          if (!SocialKeys.isUser(author)) {
            throw Status.INVALID_ARGUMENT
                .withDescription("user '" + author + "' of " + key + " is not a user key like user_17")
                .asRuntimeException();
          }
          KeyId.of(author);
          String previousAuthor = store.get(key).map(StoredValue::author).orElse(null);
          if (previousAuthor != null && !previousAuthor.equals(author)) {
            graph.updatePostList(previousAuthor, key, true);
          }
          graph.updatePostList(author, key, false);
          store.put(key, new StoredValue(request.getData(), author));
          return EMPTY;
        });
  }

  @Override
  public void append(AppendRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          store.append(writableKey(request.getKey()), request.getData());
          return EMPTY;
        });
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          String key = writableKey(request.getKey());
          StoredValue value = store.get(key).orElseThrow(() -> notFound(key));
          if (value.author() != null) {
            graph.updatePostList(value.author(), key, true);
          }
          if (store.remove(key) == null) {
            throw notFound(key);
          }
          return EMPTY;
        });
  }

  @Override
  public void updatePostList(PostListUpdate request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          if (!SocialKeys.isUser(request.getUser()) || !SocialKeys.isPost(request.getPost())) {
            throw Status.INVALID_ARGUMENT
                .withDescription(
                    "post list update needs a user_<N> and a post_<M>, got '" + request.getUser()
                        + "' and '" + request.getPost() + "'")
                .asRuntimeException();
          }
          graph.applyPostListUpdate(request.getUser(), request.getPost(), request.getRemove());
          return EMPTY;
        });
  }

  /** Checks that {@code key} may be written here and returns it. */
  private String writableKey(String key) {
    if (key.equals(SocialKeys.ALL_USERS)) {
      throw Status.INVALID_ARGUMENT
          .withDescription("all_users is kept by each server and cannot be written")
          .asRuntimeException();
    }
    ownership.check(key);
    return key;
  }

  private static StatusRuntimeException notFound(String key) {
    return Status.NOT_FOUND.withDescription("no value for key '" + key + "'").asRuntimeException();
  }

  private static <T> void answer(StreamObserver<T> response, Supplier<T> work) {
    T reply;
    try {
      reply = work.get();
    } catch (InvalidKeyException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    response.onNext(reply);
    response.onCompleted();
  }
}
