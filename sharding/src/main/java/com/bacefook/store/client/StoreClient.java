package com.bacefook.store.client;

import static com.google.common.util.concurrent.MoreExecutors.directExecutor;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.DeleteBatch;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.GetResponse;
import com.bacefook.store.proto.PostListUpdate;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ScanPage;
import com.bacefook.store.proto.ScanRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.Erasure;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.rpc.RequestIds;
import com.bacefook.store.rpc.RequestIds.RequestId;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.InvalidKeyException;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.SocialKeys;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Routes each key operation to the server that owns the key in the cached configuration.
 *
 * <p>When a server refuses (it does not own the key, or cannot serve it yet) or cannot be connected
 * to, the client refreshes the configuration and tries again with backoff until the operation's
 * deadline: such requests were never applied, so the retry is always safe. A request whose fate is
 * unknown (the connection broke mid-call, the deadline passed) is retried only if it is a Get; a
 * write's unknown outcome goes back to the caller, since applying it twice could undo a later write,
 * unless the server says it keeps the answer to the write's request ID (a replica group does: {@link
 * RequestIds}); every Put, Append and Delete carries this client's ID and a new sequence number. A
 * replica group member that does not lead names its leader, where the request goes next; past a
 * member that does not answer, or knows no leader, it goes to the group's next member, until the
 * configuration names another server ({@link RetryRules#detour}).
 * Errors reach the caller as {@link StatusRuntimeException}s whose description says what to do.
 *
 * <p>{@link #getAsync} and {@link #putAsync} route the same way without blocking ({@link AsyncRoute});
 * {@link #putMany} and {@link #deleteManyErasing} send one batch RPC per owning server and retry only
 * the keys refused ({@link BatchRoute}).
 */
public final class StoreClient {
  private final ConfigurationSource configs;
  private final ChannelPool channels;
  private final Duration operationDeadline;
  private final Duration rpcDeadline;
  private final BatchRoute batches;
  /** Numbers this client's writes under its ID (a random UUID). */
  private final RequestNumbers requests = new RequestNumbers(UUID.randomUUID().toString());

  /** Creates a client with a 10 s deadline per operation and 5 s per RPC. */
  public StoreClient(ConfigurationSource configs, ChannelPool channels) {
    this(configs, channels, Duration.ofSeconds(10), Duration.ofSeconds(5));
  }

  /** Creates a client with the given deadlines per operation (all retries) and per RPC. */
  public StoreClient(
      ConfigurationSource configs,
      ChannelPool channels,
      Duration operationDeadline,
      Duration rpcDeadline) {
    this.configs = configs;
    this.channels = channels;
    this.operationDeadline = operationDeadline;
    this.rpcDeadline = rpcDeadline;
    this.batches = new BatchRoute(configs, this::futureStub, operationDeadline);
  }

  /** Returns the value of {@code key}; {@code NOT_FOUND} if it has none. */
  public Reply<String> get(String key) {
    return route(key, true, stub -> stub.get(GetRequest.newBuilder().setKey(key).build()).getData());
  }

  /** Stores {@code data} under {@code key}; for a post, {@code user} names its author (may be empty). */
  public Reply<Void> put(String key, String data, String user) {
    PutRequest request = PutRequest.newBuilder().setKey(key).setData(data).setUser(user).build();
    return write(key, stub -> stub.put(request));
  }

  /** Appends {@code data} to the value of {@code key} (or stores it if the key is missing). */
  public Reply<Void> append(String key, String data) {
    AppendRequest request = AppendRequest.newBuilder().setKey(key).setData(data).build();
    return write(key, stub -> stub.append(request));
  }

  /** Deletes {@code key}; {@code NOT_FOUND} if it has no value. */
  public Reply<Void> delete(String key) {
    DeleteRequest request = DeleteRequest.newBuilder().setKey(key).build();
    return write(key, stub -> stub.delete(request));
  }

  /**
   * Returns the value of {@code key} without blocking: as {@link #get}, the future failing with the
   * {@link StatusRuntimeException} {@code get} would throw.
   */
  public CompletableFuture<Reply<String>> getAsync(String key) {
    GetRequest request = GetRequest.newBuilder().setKey(key).build();
    return routeAsync(key, true, stub -> Futures.transform(stub.get(request), GetResponse::getData, directExecutor()));
  }

  /** Stores {@code data} under {@code key} without blocking: as {@link #put}. */
  public CompletableFuture<Reply<Void>> putAsync(String key, String data, String user) {
    PutRequest request = PutRequest.newBuilder().setKey(key).setData(data).setUser(user).build();
    RequestId id = requests.next();
    CompletableFuture<Reply<Void>> reply =
        routeAsync(
            key,
            false,
            stub ->
                Futures.transform(
                    RequestIds.mark(stub, id).put(request), ignored -> null, directExecutor()));
    return reply.whenComplete((done, failure) -> requests.done(id));
  }

  /**
   * Stores many keys with one RPC per owning server (PutMany) instead of one per key; a post with a
   * user updates its author's post list as {@link #put} does. Keys a server refuses are sent again to
   * their owner until the operation deadline; the result lists every key not known to be applied.
   */
  public BatchResult putMany(List<PutRequest> puts) {
    List<String> keys = puts.stream().map(PutRequest::getKey).toList();
    return batches.run(
        keys,
        i -> puts.get(i).getKey().length() + puts.get(i).getData().length() + puts.get(i).getUser().length(),
        (stub, positions) -> {
          PutBatch.Builder batch = PutBatch.newBuilder();
          positions.forEach(i -> batch.addPuts(puts.get(i)));
          return stub.putMany(batch.build());
        });
  }

  /**
   * Deletes the posts {@code postKeys} of {@code userKey} as part of erasing that user, with one RPC
   * per owning server (DeleteMany); see {@link #deleteErasing}. Posts already gone fail with {@code
   * NOT_FOUND} in the result.
   */
  public BatchResult deleteManyErasing(List<String> postKeys, String userKey) {
    return batches.run(
        postKeys,
        i -> postKeys.get(i).length(),
        (stub, positions) -> {
          DeleteBatch.Builder batch = DeleteBatch.newBuilder();
          positions.forEach(i -> batch.addKeys(postKeys.get(i)));
          return Erasure.mark(stub, userKey).deleteMany(batch.build());
        });
  }

  /**
   * Passes every key of the cluster, with its value and author, to {@code sink}, server by server in
   * pages of {@code pageSize}; returns how many. A key that moves while the scan runs may be missed or
   * passed twice, so the scan fails with {@code ABORTED} if the configuration changed meanwhile.
   */
  public long scanAll(int pageSize, Consumer<PutRequest> sink) {
    Configuration config = configs.refresh();
    long count = 0;
    for (String server : config.serverNames()) {
      ScanRequest.Builder request = ScanRequest.newBuilder().setLimit(pageSize);
      while (true) {
        ScanPage page = stub(server).scanKeys(request.build());
        for (PutRequest entry : page.getEntriesList()) {
          sink.accept(entry);
          count++;
        }
        if (page.getDone() || page.getEntriesCount() == 0) {
          break;
        }
        PutRequest lastEntry = page.getEntries(page.getEntriesCount() - 1);
        request.setFromId(KeyId.of(lastEntry.getKey())).setAfterKey(lastEntry.getKey());
      }
    }
    Configuration after = configs.refresh();
    if (after.number() != config.number()) {
      throw Status.ABORTED
          .withDescription(
              "the configuration changed from #" + config.number() + " to #" + after.number()
                  + " during the scan; run it again when no move is under way")
          .asRuntimeException();
    }
    return count;
  }

  /**
   * Deletes post {@code postKey} as part of erasing {@code userKey}, its author: the server leaves the
   * author's post list alone, since the erase deletes it whole.
   */
  public Reply<Void> deleteErasing(String postKey, String userKey) {
    DeleteRequest request = DeleteRequest.newBuilder().setKey(postKey).build();
    return route(
        postKey,
        false,
        stub -> {
          Erasure.mark(stub, userKey).delete(request);
          return null;
        });
  }

  /**
   * Adds {@code postKey} to (or, with {@code remove}, takes it out of) {@code userKey}'s post list on
   * the server that owns the user. Idempotent, so it is retried like a Put.
   */
  public Reply<Void> updatePostList(String userKey, String postKey, boolean remove) {
    PostListUpdate request =
        PostListUpdate.newBuilder().setUser(userKey).setPost(postKey).setRemove(remove).build();
    return route(
        userKey,
        false,
        stub -> {
          stub.updatePostList(request);
          return null;
        });
  }

  /**
   * Asks every server of the current configuration for the users it holds. A server that does not
   * answer is named in the result rather than failing the whole call.
   *
   * @throws StatusRuntimeException if the configuration cannot be had from the shardmaster
   */
  public AllUsers allUsers() {
    Configuration config = configs.refresh();
    List<ServerUsers> answered = new ArrayList<>();
    List<AllUsers.Unanswered> unanswered = new ArrayList<>();
    GetRequest request = GetRequest.newBuilder().setKey(SocialKeys.ALL_USERS).build();
    for (String server : config.serverNames()) {
      try {
        String list = stub(server).get(request).getData();
        answered.add(new ServerUsers(server, SocialKeys.splitList(list)));
      } catch (StatusRuntimeException e) {
        unanswered.add(new AllUsers.Unanswered(server, e));
      }
    }
    return new AllUsers(answered, unanswered);
  }

  /** Asks every server of the current configuration for its health and status (1 s deadline each). */
  public List<ServerReport> serverReports() {
    ServerProbe probe = new ServerProbe(channels, Duration.ofSeconds(1));
    List<ServerReport> reports = new ArrayList<>();
    for (String server : configs.refresh().serverNames()) {
      reports.add(probe.report(server));
    }
    return reports;
  }

  /**
   * Routes a write under a new request ID, so that a replica group applies it once however often it
   * is sent; the ID is in flight until the write ends.
   */
  private Reply<Void> write(String key, Consumer<ShardkvGrpc.ShardkvBlockingStub> call) {
    RequestId id = requests.next();
    try {
      return route(
          key,
          false,
          stub -> {
            call.accept(RequestIds.mark(stub, id));
            return null;
          });
    } finally {
      requests.done(id);
    }
  }

  /** Returns the configuration this client routes by, refreshed from its source. */
  public Configuration refreshConfiguration() {
    return configs.refresh();
  }

  private ShardkvGrpc.ShardkvBlockingStub stub(String server) {
    return ShardkvGrpc.newBlockingStub(channels.channel(server))
        .withDeadlineAfter(rpcDeadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ShardkvGrpc.ShardkvFutureStub futureStub(String server) {
    return ShardkvGrpc.newFutureStub(channels.channel(server))
        .withDeadlineAfter(rpcDeadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> CompletableFuture<Reply<T>> routeAsync(
      String key, boolean read, Function<ShardkvGrpc.ShardkvFutureStub, ListenableFuture<T>> call) {
    int id;
    try {
      id = KeyId.of(key);
    } catch (InvalidKeyException e) {
      return CompletableFuture.failedFuture(
          Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
    return new AsyncRoute<>(configs, this::futureStub, key, id, read, operationDeadline, call).start();
  }

  /**
   * When an operation starting now must end ({@link System#nanoTime}): after its deadline, or
   * sooner if the calling context's deadline comes first (a server editing post lists for a batch
   * gives the whole batch one deadline).
   */
  private long deadlineFromNow() {
    long now = System.nanoTime();
    long deadline = now + operationDeadline.toNanos();
    Deadline context = Context.current().getDeadline();
    return context == null
        ? deadline
        : Math.min(deadline, now + context.timeRemaining(TimeUnit.NANOSECONDS));
  }

  private <T> Reply<T> route(
      String key, boolean read, Function<ShardkvGrpc.ShardkvBlockingStub, T> call) {
    int id;
    try {
      id = read ? KeyId.of(key) : SocialKeys.writableId(key);
    } catch (InvalidKeyException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    long deadline = deadlineFromNow();
    Duration backoff = RetryRules.FIRST_BACKOFF;
    Configuration config = configs.current();
    Optional<String> hint = Optional.empty();
    StatusRuntimeException last = null;
    while (true) {
      Optional<String> owner = hint.isPresent() ? hint : config.ownerOf(id);
      hint = Optional.empty();
      boolean named = false;
      if (owner.isEmpty() && last == null) {
        config = configs.refresh();
        owner = config.ownerOf(id);
      }
      if (owner.isPresent()) {
        try {
          return new Reply<>(owner.get(), call.apply(stub(owner.get())));
        } catch (StatusRuntimeException e) {
          last = e;
          if (Refusals.isRefusal(e)) {
            // A server that acts on an older configuration than ours points the wrong way.
            hint = RetryRules.hint(e, config);
            named = hint.isPresent();
          } else if (!RetryRules.retryable(e, read)) {
            throw e;
          }
          if (hint.isEmpty()) {
            hint = RetryRules.detour(e, config, owner.get());
          }
        }
      } else {
        last = RetryRules.noOwner(key, id, config);
      }
      if (System.nanoTime() + backoff.toNanos() > deadline) {
        throw last;
      }
      RetryRules.sleep(backoff);
      backoff = RetryRules.next(backoff);
      if (!named) {
        Optional<String> listed = config.ownerOf(id);
        try {
          config = configs.refresh();
        } catch (StatusRuntimeException e) {
          last = e;
        }
        if (!config.ownerOf(id).equals(listed)) {
          hint = Optional.empty(); // the configuration moved on: follow it, not the detour
        }
      }
    }
  }
}
