package com.bacefook.store.client;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.PostListUpdate;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.Erasure;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.InvalidKeyException;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.SocialKeys;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Routes each key operation to the server that owns the key in the cached configuration.
 *
 * <p>When a server refuses (it does not own the key, or cannot serve it yet) or cannot be connected
 * to, the client refreshes the configuration and tries again with backoff until the operation's
 * deadline: such requests were never applied, so the retry is always safe. A request whose fate is
 * unknown (the connection broke mid-call, the deadline passed) is retried only if it is a Get; a
 * write's unknown outcome goes back to the caller, since applying it twice could undo a later write.
 * Errors reach the caller as {@link StatusRuntimeException}s whose description says what to do.
 */
public final class StoreClient {
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
  private static final Duration MAX_BACKOFF = Duration.ofMillis(200);

  private final ConfigurationSource configs;
  private final ChannelPool channels;
  private final Duration operationDeadline;
  private final Duration rpcDeadline;

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
  }

  /** Returns the value of {@code key}; {@code NOT_FOUND} if it has none. */
  public Reply<String> get(String key) {
    return route(key, true, stub -> stub.get(GetRequest.newBuilder().setKey(key).build()).getData());
  }

  /** Stores {@code data} under {@code key}; for a post, {@code user} names its author (may be empty). */
  public Reply<Void> put(String key, String data, String user) {
    PutRequest request = PutRequest.newBuilder().setKey(key).setData(data).setUser(user).build();
    return route(
        key,
        false,
        stub -> {
          stub.put(request);
          return null;
        });
  }

  /** Appends {@code data} to the value of {@code key} (or stores it if the key is missing). */
  public Reply<Void> append(String key, String data) {
    AppendRequest request = AppendRequest.newBuilder().setKey(key).setData(data).build();
    return route(
        key,
        false,
        stub -> {
          stub.append(request);
          return null;
        });
  }

  /** Deletes {@code key}; {@code NOT_FOUND} if it has no value. */
  public Reply<Void> delete(String key) {
    DeleteRequest request = DeleteRequest.newBuilder().setKey(key).build();
    return route(
        key,
        false,
        stub -> {
          stub.delete(request);
          return null;
        });
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

  /** Returns the configuration this client routes by, refreshed from its source. */
  public Configuration refreshConfiguration() {
    return configs.refresh();
  }

  private ShardkvGrpc.ShardkvBlockingStub stub(String server) {
    return ShardkvGrpc.newBlockingStub(channels.channel(server))
        .withDeadlineAfter(rpcDeadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> Reply<T> route(
      String key, boolean read, Function<ShardkvGrpc.ShardkvBlockingStub, T> call) {
    int id;
    try {
      id = read ? KeyId.of(key) : SocialKeys.writableId(key);
    } catch (InvalidKeyException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    long deadline = System.nanoTime() + operationDeadline.toNanos();
    Duration backoff = FIRST_BACKOFF;
    Configuration config = configs.current();
    Optional<String> hint = Optional.empty();
    StatusRuntimeException last = null;
    while (true) {
      Optional<String> owner = hint.isPresent() ? hint : config.ownerOf(id);
      hint = Optional.empty();
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
            if (Refusals.configNumber(e) >= config.number()) {
              hint = Refusals.ownerHint(e);
            }
          } else if (!(neverSent(e) || (read && isAmbiguous(e)))) {
            throw e;
          }
        }
      } else {
        last =
            Status.UNAVAILABLE
                .withDescription(
                    "no server owns key " + Quote.of(key) + " (ID " + id + ") in configuration #"
                        + config.number() + "; join a server first")
                .asRuntimeException();
      }
      if (System.nanoTime() + backoff.toNanos() > deadline) {
        throw last;
      }
      sleep(backoff);
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(MAX_BACKOFF) > 0) {
        backoff = MAX_BACKOFF;
      }
      if (hint.isEmpty()) {
        try {
          config = configs.refresh();
        } catch (StatusRuntimeException e) {
          last = e;
        }
      }
    }
  }

  /** Whether the call failed to connect, so the request never reached a server. */
  private static boolean neverSent(StatusRuntimeException e) {
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAmbiguous(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }

  private static void sleep(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }
}
