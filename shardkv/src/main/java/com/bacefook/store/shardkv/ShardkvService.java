package com.bacefook.store.shardkv;

import static com.bacefook.store.rpc.Answers.answer;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.BatchReply;
import com.bacefook.store.proto.DeleteBatch;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.GetResponse;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.PostListUpdate;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ScanPage;
import com.bacefook.store.proto.ScanRequest;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.Erasure;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.rpc.KeyFailures;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.SocialKeys;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.LongAdder;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Translates Shardkv RPCs into store operations: every key operation goes through {@link
 * Ownership#serve}, the social-graph rules through {@link SocialGraph}, handoffs to {@link
 * HandoffReceiver}; failures become statuses. Holds no state of its own.
 */
final class ShardkvService extends ShardkvGrpc.ShardkvImplBase {
  private static final Empty EMPTY = Empty.getDefaultInstance();
  private static final int DEFAULT_SCAN_PAGE = 1000;
  private static final int MAX_SCAN_PAGE = 10_000;

  private final KeyValueStore store;
  private final Ownership ownership;
  private final SocialGraph graph;
  private final HandoffReceiver receiver;
  private final HandoffSender sender;
  private final Supplier<ServerStatus> status;
  private final LongAdder requestsServed = new LongAdder();

  ShardkvService(
      KeyValueStore store,
      Ownership ownership,
      SocialGraph graph,
      HandoffReceiver receiver,
      HandoffSender sender,
      Supplier<ServerStatus> status) {
    this.sender = sender;
    this.store = store;
    this.ownership = ownership;
    this.graph = graph;
    this.receiver = receiver;
    this.status = status;
  }

  /** Returns how many client Get, Put, Append and Delete requests were answered (either way). */
  long requestsServed() {
    return requestsServed.sum();
  }

  /** Answers a client request, counting it. */
  private <T> void answerClient(StreamObserver<T> response, Supplier<T> work) {
    try {
      answer(response, work);
    } finally {
      requestsServed.increment();
    }
  }

  @Override
  public void status(Empty request, StreamObserver<ServerStatus> response) {
    answer(response, status);
  }

  @Override
  public void get(GetRequest request, StreamObserver<GetResponse> response) {
    answerClient(
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
          return GetResponse.newBuilder().setData(value.value()).build();
        });
  }

  @Override
  public void put(PutRequest request, StreamObserver<Empty> response) {
    answerClient(
        response,
        () -> {
          String key = writableKey(request.getKey());
          String user = request.getUser();
          write(key, request.getData(), user);
          return EMPTY;
        });
  }

  @Override
  public void append(AppendRequest request, StreamObserver<Empty> response) {
    answerClient(
        response,
        () -> {
          String key = writableKey(request.getKey());
          ownership.serve(
              key,
              id -> {
                store.append(key, request.getData());
                return null;
              });
          return EMPTY;
        });
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<Empty> response) {
    answerClient(
        response,
        () -> {
          String key = writableKey(request.getKey());
          remove(key);
          return EMPTY;
        });
  }

  @Override
  public void updatePostList(PostListUpdate request, StreamObserver<Empty> response) {
    answer(
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
          return EMPTY;
        });
  }

  @Override
  public void handoffPuts(PutBatch request, StreamObserver<Empty> response) {
    answer(
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
            StoredValue value = new StoredValue(put.getData(), user.isEmpty() ? null : user);
            receiver.receive(configNumber, sender, key, value);
          }
          ownership.progress(configNumber, sender);
          return EMPTY;
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
    answer(
        response,
        () -> {
          receiver.complete(request);
          return EMPTY;
        });
  }

  @Override
  public void putMany(PutBatch request, StreamObserver<BatchReply> response) {
    answer(
        response,
        () -> {
          if (Handoff.currentSender() != null) {
            throw Status.INVALID_ARGUMENT
                .withDescription("PutMany is for clients; a handoff uses HandoffPuts")
                .asRuntimeException();
          }
          BatchReply.Builder reply = BatchReply.newBuilder();
          for (int i = 0; i < request.getPutsCount(); i++) {
            PutRequest put = request.getPuts(i);
            try {
              write(writableKey(put.getKey()), put.getData(), put.getUser());
            } catch (RuntimeException e) {
              reply.addFailures(KeyFailures.of(i, e));
            }
          }
          return reply.build();
        });
  }

  @Override
  public void deleteMany(DeleteBatch request, StreamObserver<BatchReply> response) {
    answer(
        response,
        () -> {
          BatchReply.Builder reply = BatchReply.newBuilder();
          for (int i = 0; i < request.getKeysCount(); i++) {
            try {
              remove(writableKey(request.getKeys(i)));
            } catch (RuntimeException e) {
              reply.addFailures(KeyFailures.of(i, e));
            }
          }
          return reply.build();
        });
  }

  @Override
  public void scanKeys(ScanRequest request, StreamObserver<ScanPage> response) {
    answer(
        response,
        () -> {
          int limit = request.getLimit() == 0 ? DEFAULT_SCAN_PAGE : request.getLimit();
          if (limit > MAX_SCAN_PAGE) {
            throw Status.INVALID_ARGUMENT
                .withDescription("a scan page holds at most " + MAX_SCAN_PAGE + " keys, asked " + limit)
                .asRuntimeException();
          }
          KeyCursor after = new KeyCursor(request.getFromId(), request.getAfterKey());
          KeyPage page = store.page(ownership.served(), after, limit);
          ScanPage.Builder reply = ScanPage.newBuilder().setDone(page.done());
          for (Map.Entry<String, StoredValue> entry : page.entries()) {
            StoredValue value = entry.getValue();
            reply.addEntries(
                PutRequest.newBuilder()
                    .setKey(entry.getKey())
                    .setData(value.value())
                    .setUser(value.author() == null ? "" : value.author()));
          }
          return reply.build();
        });
  }

  /**
   * A client's write of {@code key}: for a post with a {@code user}, the author's post list follows
   * (leaving the previous author's, if another).
   */
  private void write(String key, String data, String user) {
    if (!SocialKeys.isPost(key) || user.isEmpty()) {
      ownership.serve(key, id -> store.put(key, new StoredValue(data, null)));
      return;
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
    ownership.serve(key, id -> store.put(key, new StoredValue(data, user)));
  }

  /** A client's delete of {@code key}; NOT_FOUND if it has no value. */
  private void remove(String key) {
    StoredValue value = ownership.serve(key, id -> store.get(key).orElse(null));
    if (value == null) {
      throw notFound(key);
    }
    // In a GDPR erase of the author, the whole list goes next: no need to edit it first.
    if (value.author() != null && !value.author().equals(Erasure.currentUser())) {
      graph.updatePostList(value.author(), key, true);
    }
    if (ownership.serve(key, id -> store.remove(key)) == null) {
      throw notFound(key);
    }
  }

  /** Checks that {@code key} is a key clients may write and returns it. */
  private static String writableKey(String key) {
    SocialKeys.writableId(key);
    return key;
  }

  private static StatusRuntimeException notFound(String key) {
    return Status.NOT_FOUND.withDescription("no value for key " + Quote.of(key)).asRuntimeException();
  }

}
