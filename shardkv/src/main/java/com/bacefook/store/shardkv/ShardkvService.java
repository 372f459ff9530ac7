package com.bacefook.store.shardkv;

import static com.bacefook.store.rpc.Answers.answer;
import static com.bacefook.store.rpc.Answers.answerLater;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.BatchReply;
import com.bacefook.store.proto.DeleteBatch;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.GetResponse;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.KeyFailure;
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
import com.bacefook.store.rpc.QuietStatusException;
import com.bacefook.store.rpc.RequestIds;
import com.bacefook.store.rpc.RequestIds.RequestId;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.SocialKeys;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Translates Shardkv RPCs into store operations: every key operation goes through {@link
 * Ownership#serve}, the social-graph rules through {@link SocialGraph}, handoffs to {@link
 * HandoffReceiver}; failures become statuses. Holds no state of its own but a request counter.
 *
 * <p>Handlers run on the transport's event loop (see {@link ShardkvServer}) and never block there:
 * the work that calls another server (a post's author list on its owner) or may take long (batches,
 * handoffs) is passed to {@code blocking}, and a write is answered when its WAL sync completes, by
 * the syncer's thread, so two servers never wait on each other's event loops.
 */
final class ShardkvService extends ShardkvGrpc.ShardkvImplBase {
  private static final Empty EMPTY = Empty.getDefaultInstance();
  private static final CompletionStage<Empty> DONE = CompletableFuture.completedFuture(EMPTY);
  private static final int DEFAULT_SCAN_PAGE = 1000;
  private static final int MAX_SCAN_PAGE = 10_000;

  private final KeyValueStore store;
  private final Ownership ownership;
  private final StoreAccess access;
  private final SocialGraph graph;
  private final HandoffReceiver receiver;
  private final HandoffSender sender;
  private final Supplier<ServerStatus> status;
  private final Executor blocking;
  /** How many writes of one batch a replica group commits at once. */
  private static final int GROUP_BATCH_LANES = 16;
  /** How long the post-list edits of one PutMany or DeleteMany may take in all. */
  private static final Duration BATCH_EDITS_DEADLINE = Duration.ofSeconds(10);
  /** Ends the batches' deadlines (one daemon thread for every server in the JVM). */
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("shardkv-batch-deadlines").setDaemon(true).build());
  private final boolean durable;
  private final LongAdder requestsServed = new LongAdder();

  ShardkvService(
      KeyValueStore store,
      Ownership ownership,
      StoreAccess access,
      SocialGraph graph,
      HandoffReceiver receiver,
      HandoffSender sender,
      Supplier<ServerStatus> status,
      Executor blocking) {
    this.sender = sender;
    this.store = store;
    this.ownership = ownership;
    this.access = access;
    this.graph = graph;
    this.receiver = receiver;
    this.status = status;
    this.blocking = blocking;
    this.durable = store.durable();
  }

  /** Returns how many client Get, Put, Append and Delete requests were answered (either way). */
  long requestsServed() {
    return requestsServed.sum();
  }

  /**
   * Answers a client request once the stage {@code work} returns completes, counting it. {@code work}
   * runs on the event loop: it waits for nothing (a replica group's commit or read index is a stage),
   * and hands what calls another server to {@link #onBlocking}.
   */
  private <T> void answerClient(
      StreamObserver<T> response, Supplier<CompletionStage<T>> work) {
    requestsServed.increment();
    answerLater(response, work);
  }

  /** Runs {@code work} off the event loop if the store access may wait, else at once. */
  private <T> CompletionStage<T> run(Supplier<CompletionStage<T>> work) {
    return access.blocks() ? onBlocking(work) : work.get();
  }

  @Override
  public void status(Empty request, StreamObserver<ServerStatus> response) {
    answer(response, status);
  }

  @Override
  public void get(GetRequest request, StreamObserver<GetResponse> response) {
    String key = request.getKey();
    // On its own a server reads at once: a NOT_FOUND thrown through a stage would be wrapped in a
    // CompletionException, whose stack trace the quiet NOT_FOUND exists to avoid.
    answerClient(
        response,
        () ->
            access.blocks()
                ? access.beforeReadAsync().thenApply(ready -> read(key))
                : CompletableFuture.completedFuture(read(key)));
  }

  /** A client's read of {@code key} once it may read: NOT_FOUND if it has no value. */
  private GetResponse read(String key) {
    if (key.equals(SocialKeys.ALL_USERS)) {
      return GetResponse.newBuilder().setData(store.allUsers()).build();
    }
    StoredValue value = ownership.serve(key, id -> store.get(key).orElse(null));
    if (value == null) {
      throw notFound(key);
    }
    return GetResponse.newBuilder().setDataBytes(value.valueBytes()).build();
  }

  @Override
  public void put(PutRequest request, StreamObserver<Empty> response) {
    answerClient(
        response,
        () -> {
          String key = writableKey(request.getKey());
          String user = request.getUser();
          Optional<RequestId> id = RequestIds.current();
          if (hasAuthor(key, user)) {
            return onBlocking(
                () -> {
                  write(key, request.getDataBytes(), user, id);
                  return synced();
                });
          }
          return access
              .putAsync(key, StoredValue.of(key, request.getDataBytes(), null), id)
              .thenCompose(done -> synced());
        });
  }

  @Override
  public void append(AppendRequest request, StreamObserver<Empty> response) {
    answerClient(
        response,
        () -> {
          return access
              .appendAsync(writableKey(request.getKey()), request.getDataBytes(), RequestIds.current())
              .thenCompose(done -> synced());
        });
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<Empty> response) {
    answerClient(
        response,
        () -> {
          String key = writableKey(request.getKey());
          StoredValue value = ownership.serve(key, id -> store.get(key).orElse(null));
          if (value == null) {
            throw notFound(key);
          }
          Optional<RequestId> id = RequestIds.current();
          if (listNeedsEdit(value)) {
            return onBlocking(
                () -> {
                  remove(key, value, id);
                  return synced();
                });
          }
          return access.removeAsync(key, id).thenCompose(done -> synced());
        });
  }

  @Override
  public void updatePostList(PostListUpdate request, StreamObserver<Empty> response) {
    answerLater(
        response,
        () -> run(() -> {
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
        }));
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
            StoredValue value = StoredValue.of(key, put.getDataBytes(), user.isEmpty() ? null : user);
            receiver.receive(configNumber, sender, key, value);
          }
          access.handoffArrived(configNumber, receiver.senderName(configNumber, sender));
          return synced();
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

  @Override
  public void putMany(PutBatch request, StreamObserver<BatchReply> response) {
    offload(
        response,
        () -> {
          if (Handoff.currentSender() != null) {
            throw Status.INVALID_ARGUMENT
                .withDescription("PutMany is for clients; a handoff uses HandoffPuts")
                .asRuntimeException();
          }
          BatchReply reply =
              eachKey(
                  request.getPutsCount(),
                  i -> {
                    PutRequest put = request.getPuts(i);
                    write(writableKey(put.getKey()), put.getDataBytes(), put.getUser(), Optional.empty());
                  });
          return synced().thenApply(done -> reply);
        });
  }

  @Override
  public void deleteMany(DeleteBatch request, StreamObserver<BatchReply> response) {
    offload(
        response,
        () -> {
          BatchReply reply =
              eachKey(request.getKeysCount(), i -> remove(writableKey(request.getKeys(i))));
          return synced().thenApply(done -> reply);
        });
  }

  @Override
  public void scanKeys(ScanRequest request, StreamObserver<ScanPage> response) {
    offload(
        response,
        () -> {
          int limit = request.getLimit() == 0 ? DEFAULT_SCAN_PAGE : request.getLimit();
          if (limit > MAX_SCAN_PAGE) {
            throw Status.INVALID_ARGUMENT
                .withDescription(
                    "a scan page holds at most " + MAX_SCAN_PAGE + " keys, asked " + limit)
                .asRuntimeException();
          }
          access.beforeRead();
          KeyCursor after = new KeyCursor(request.getFromId(), request.getAfterKey());
          KeyPage page = store.page(ownership.served(), after, limit);
          ScanPage.Builder reply = ScanPage.newBuilder().setDone(page.done());
          for (Map.Entry<String, StoredValue> entry : page.entries()) {
            StoredValue value = entry.getValue();
            reply.addEntries(
                PutRequest.newBuilder()
                    .setKey(entry.getKey())
                    .setDataBytes(value.valueBytes())
                    .setUser(value.author() == null ? "" : value.author()));
          }
          return CompletableFuture.completedFuture(reply.build());
        });
  }

  /**
   * Makes {@code write} for each index of a batch of {@code count} keys and returns the failures, in
   * index order. A replica group's writes are each a commit of its log, which concurrent commits
   * share, so there they run in up to {@link #GROUP_BATCH_LANES} lanes at once (in this call's
   * context); elsewhere one after the other.
   */
  private BatchReply eachKey(int count, IntConsumer write) {
    // The post lists a batch edits on other servers share one deadline: a batch of posts whose
    // authors' owner is down answers after it, not after one operation deadline per post.
    Context.CancellableContext batch =
        Context.current()
            .withDeadline(Deadline.after(BATCH_EDITS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                DEADLINES);
    try {
      return eachKeyWithin(batch, count, write);
    } finally {
      batch.cancel(null);
    }
  }

  /** {@link #eachKey}, each write in the context {@code batch}. */
  private BatchReply eachKeyWithin(Context batch, int count, IntConsumer write) {
    Queue<KeyFailure> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    Runnable lane =
        batch
            .wrap(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                      write.accept(i);
                    } catch (RuntimeException e) {
                      failures.add(KeyFailures.of(i, e));
                    }
                  }
                });
    int lanes = access.blocks() ? Math.min(GROUP_BATCH_LANES, count) : 1;
    List<CompletableFuture<Void>> others = new ArrayList<>();
    for (int l = 1; l < lanes; l++) {
      others.add(CompletableFuture.runAsync(lane, blocking));
    }
    lane.run();
    others.forEach(CompletableFuture::join);
    return BatchReply.newBuilder()
        .addAllFailures(
            failures.stream().sorted(Comparator.comparingInt(KeyFailure::getIndex)).toList())
        .build();
  }

  /** Whether a write of {@code key} by {@code user} edits a post list, maybe on another server. */
  private static boolean hasAuthor(String key, String user) {
    return !user.isEmpty() && SocialKeys.isPost(key);
  }

  /** Whether deleting {@code value} takes it out of its author's list, maybe on another server. */
  private static boolean listNeedsEdit(StoredValue value) {
    // In a GDPR erase of the author, the whole list goes next: no need to edit it first.
    return value.author() != null && !value.author().equals(Erasure.currentUser());
  }

  /**
   * A client's write of {@code key} for request {@code id} (not yet synced): for a post with a {@code
   * user}, the author's post list follows (leaving the previous author's, if another). Blocks if
   * {@link #hasAuthor}.
   */
  private void write(String key, ByteString data, String user, Optional<RequestId> id) {
    if (!hasAuthor(key, user)) {
      access.put(key, StoredValue.of(key, data, null), id);
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
        ownership.serve(key, keyId -> store.get(key).map(StoredValue::author).orElse(null));
    if (previousAuthor != null && !previousAuthor.equals(user)) {
      graph.updatePostList(previousAuthor, key, true);
    }
    graph.updatePostList(user, key, false);
    access.put(key, StoredValue.of(key, data, user), id);
  }

  /**
   * A client's delete of {@code key} (not yet synced), taking the post out of its author's list;
   * NOT_FOUND if it has no value. Blocks if {@link #listNeedsEdit}.
   */
  private void remove(String key) {
    StoredValue value = ownership.serve(key, id -> store.get(key).orElse(null));
    if (value == null) {
      throw notFound(key);
    }
    remove(key, value, Optional.empty());
  }

  /**
   * Removes {@code key} for request {@code id}, whose value was {@code value} when read, taking the
   * post out of its author's list; NOT_FOUND if it went meanwhile. Blocks if {@link #listNeedsEdit}.
   */
  private void remove(String key, StoredValue value, Optional<RequestId> id) {
    if (listNeedsEdit(value)) {
      graph.updatePostList(value.author(), key, true);
    }
    access.remove(key, id);
  }

  /** Checks that {@code key} is a key clients may write and returns it. */
  private static String writableKey(String key) {
    SocialKeys.writableId(key);
    return key;
  }

  static StatusRuntimeException notFound(String key) {
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
      throw Status.UNAVAILABLE.withDescription("the server is stopping").asRuntimeException();
    }
  }
}
