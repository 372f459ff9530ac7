package com.bacefook.store.shardkv;

import static com.bacefook.store.rpc.Answers.answer;
import static com.bacefook.store.rpc.Answers.answerLater;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.GetResponse;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.PostListUpdate;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.Erasure;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.rpc.QuietStatusException;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.SocialKeys;
import com.google.protobuf.Empty;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Translates Shardkv RPCs into store operations: every key operation goes through {@link
 * Ownership#serve}, the social-graph rules through {@link SocialGraph}, handoffs to {@link
 * HandoffReceiver}; failures become statuses. Holds no state of its own.
 *
 * <p>Handlers run on the transport's event loop (see {@link ShardkvServer}) and never block there:
 * the work that calls another server (a post's author list on its owner) is passed to {@code
 * blocking}, and a write is answered when its WAL sync completes, by the syncer's thread, so two
 * servers never wait on each other's event loops.
 */
final class ShardkvService extends ShardkvGrpc.ShardkvImplBase {
  private static final Empty EMPTY = Empty.getDefaultInstance();
  private static final CompletionStage<Empty> DONE = CompletableFuture.completedFuture(EMPTY);

  private final KeyValueStore store;
  private final Ownership ownership;
  private final SocialGraph graph;
  private final HandoffReceiver receiver;
  private final HandoffSender sender;
  private final Supplier<ServerStatus> status;
  private final Executor blocking;
  private final boolean durable;

  ShardkvService(
      KeyValueStore store,
      Ownership ownership,
      SocialGraph graph,
      HandoffReceiver receiver,
      HandoffSender sender,
      Supplier<ServerStatus> status,
      Executor blocking) {
    this.sender = sender;
    this.store = store;
    this.ownership = ownership;
    this.graph = graph;
    this.receiver = receiver;
    this.status = status;
    this.blocking = blocking;
    this.durable = store.durable();
  }

  @Override
  public void status(Empty request, StreamObserver<ServerStatus> response) {
    answer(response, status);
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
          StoredValue value = ownership.serve(key, id -> store.get(key).orElse(null));
          if (value == null) {
            throw notFound(key);
          }
          return GetResponse.newBuilder().setDataBytes(value.valueBytes()).build();
        });
  }

  @Override
  public void put(PutRequest request, StreamObserver<Empty> response) {
    answerLater(
        response,
        () -> {
          String user = request.getUser();
          if (Handoff.currentSender() != null
              || (!user.isEmpty() && SocialKeys.isPost(request.getKey()))) {
            return onBlocking(() -> putWithMetadata(request));
          }
          String key = writableKey(request.getKey());
          StoredValue value = StoredValue.of(request.getDataBytes(), null);
          ownership.serve(key, id -> store.put(key, value));
          return synced();
        });
  }

  /** A handed-off key, or a post with its author, whose list may live on another server. */
  private CompletionStage<Empty> putWithMetadata(PutRequest request) {
    String key = writableKey(request.getKey());
    KeyId.of(key);
    String sender = Handoff.currentSender();
    String user = request.getUser();
    if (sender != null) {
      StoredValue value = StoredValue.of(request.getDataBytes(), user.isEmpty() ? null : user);
      receiver.receive(Handoff.currentConfigNumber(), sender, key, value);
      return DONE; // handed-off keys are made durable by the handoff's last step
    }
    if (!SocialKeys.isUser(user)) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "user " + Quote.of(user) + " of " + key + " is not a user key like user_17")
          .asRuntimeException();
    }
    KeyId.of(user);
    String previousAuthor =
        ownership.serve(key, id -> store.get(key).map(StoredValue::author).orElse(null));
    if (previousAuthor != null && !previousAuthor.equals(user)) {
      graph.updatePostList(previousAuthor, key, true);
    }
    graph.updatePostList(user, key, false);
    StoredValue value = StoredValue.of(request.getDataBytes(), user);
    ownership.serve(key, id -> store.put(key, value));
    return synced();
  }

  @Override
  public void append(AppendRequest request, StreamObserver<Empty> response) {
    answerLater(
        response,
        () -> {
          String key = writableKey(request.getKey());
          ownership.serve(
              key,
              id -> {
                store.append(key, request.getDataBytes());
                return null;
              });
          return synced();
        });
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<Empty> response) {
    answerLater(
        response,
        () -> {
          String key = writableKey(request.getKey());
          StoredValue value = ownership.serve(key, id -> store.get(key).orElse(null));
          if (value == null) {
            throw notFound(key);
          }
          // In a GDPR erase of the author, the whole list goes next: no need to edit it first.
          if (value.author() != null && !value.author().equals(Erasure.currentUser())) {
            return onBlocking(
                () -> {
                  graph.updatePostList(value.author(), key, true);
                  return removeExisting(key);
                });
          }
          return removeExisting(key);
        });
  }

  /** Removes {@code key}, answering NOT_FOUND if it went meanwhile. */
  private CompletionStage<Empty> removeExisting(String key) {
    if (ownership.serve(key, id -> store.remove(key)) == null) {
      throw notFound(key);
    }
    return synced();
  }

  @Override
  public void updatePostList(PostListUpdate request, StreamObserver<Empty> response) {
    answerLater(
        response,
        () -> {
          if (!SocialKeys.isValidUser(request.getUser())
              || !SocialKeys.isValidPost(request.getPost())) {
            throw Status.INVALID_ARGUMENT
                .withDescription(
                    "post list update needs a user_<N> and a post_<M>, got "
                        + Quote.of(request.getUser()) + " and " + Quote.of(request.getPost()))
                .asRuntimeException();
          }
          graph.applyPostListUpdate(request.getUser(), request.getPost(), request.getRemove());
          return synced();
        });
  }

  @Override
  public void handoffPuts(PutBatch request, StreamObserver<Empty> response) {
    offload(
        response,
        () -> {
          String sender = Handoff.currentSender();
          if (sender == null) {
            throw Status.INVALID_ARGUMENT
                .withDescription("HandoffPuts is only for handoffs between servers")
                .asRuntimeException();
          }
          long configNumber = Handoff.currentConfigNumber();
          for (PutRequest put : request.getPutsList()) {
            String key = writableKey(put.getKey());
            String user = put.getUser();
            StoredValue value = StoredValue.of(put.getDataBytes(), user.isEmpty() ? null : user);
            receiver.receive(configNumber, sender, key, value);
          }
          ownership.progress(configNumber, sender);
          return DONE; // made durable by the handoff's last step, EndHandoff
        });
  }

  @Override
  public void confirmHandoff(HandoffDone request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          sender.confirm(request);
          return EMPTY;
        });
  }

  @Override
  public void endHandoff(HandoffDone request, StreamObserver<Empty> response) {
    offload(
        response,
        () -> {
          receiver.complete(request);
          return DONE;
        });
  }

  /**
   * Checks that {@code key} is not {@code all_users} and returns it; its ID is checked by {@link
   * Ownership#serve}, which parses it anyway.
   */
  private static String writableKey(String key) {
    if (key.equals(SocialKeys.ALL_USERS)) {
      throw Status.INVALID_ARGUMENT
          .withDescription("all_users is kept by each server and cannot be written")
          .asRuntimeException();
    }
    return key;
  }

  private static StatusRuntimeException notFound(String key) {
    return new QuietStatusException(
        Status.NOT_FOUND.withDescription("no value for key " + Quote.of(key)), null);
  }

  /** Completes when the writes made so far are durable: at once in memory. */
  private CompletionStage<Empty> synced() {
    return durable ? store.synced().thenApply(done -> EMPTY) : DONE;
  }

  /** Answers {@code response} with the stage {@code work} returns, run by {@link #onBlocking}. */
  private <T> void offload(StreamObserver<T> response, Supplier<CompletionStage<T>> work) {
    answerLater(response, () -> onBlocking(work));
  }

  /**
   * Runs {@code work}, which may call another server or wait, on the executor for such work, in this
   * call's context (handoff and erasure headers); returns the stage that {@code work} returns.
   */
  private <T> CompletionStage<T> onBlocking(Supplier<CompletionStage<T>> work) {
    try {
      return CompletableFuture.supplyAsync(work, Context.current().fixedContextExecutor(blocking))
          .thenCompose(stage -> stage);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the server is stopping", e);
    }
  }

}
