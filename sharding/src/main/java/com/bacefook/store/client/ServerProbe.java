package com.bacefook.store.client;

import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.sharding.SocialKeys;
import com.google.protobuf.Empty;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks one server, by address, how it is: its gRPC health and its Shardkv {@code Status}. {@link
 * #problem} says whether it is a shardkv server able to take keys, so a {@code join} can refuse an
 * address where nothing listens, or where something other than shardkv answers (the shardmaster, say).
 *
 * <p>Servers of the original system have neither the health service nor {@code Status}; a server
 * without them still passes if it answers Shardkv's {@code Get} of {@code all_users}.
 */
public final class ServerProbe {
  private final ChannelPool channels;
  private final Duration deadline;

  /** Creates a probe that gives each server {@code deadline} to answer each question. */
  public ServerProbe(ChannelPool channels, Duration deadline) {
    this.channels = channels;
    this.deadline = deadline;
  }

  /**
   * Returns {@code server}'s health ({@code SERVING}, {@code NOT_SERVING}, or the status code of the
   * failed check) and, if it answered, its {@link ServerStatus}.
   */
  public ServerReport report(String server) {
    String health;
    try {
      health = health(server).name();
    } catch (StatusRuntimeException e) {
      health = e.getStatus().getCode().name();
    }
    Optional<ServerStatus> status;
    try {
      status = Optional.of(shardkv(server).status(Empty.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      status = Optional.empty();
    }
    return new ServerReport(server, health, status);
  }

  /**
   * Returns why {@code server} cannot take keys as a shardkv server, in a few words that name the
   * address, or empty if it can.
   */
  public Optional<String> problem(String server) {
    retryNowIfFailed(channels.channel(server));
    try {
      ServingStatus health = health(server);
      if (health != ServingStatus.SERVING) {
        return Optional.of(server + " answers but is " + health + " (stopping or not ready)");
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        return Optional.of(failure(server, e));
      }
      // No health service: judge by the Shardkv calls alone.
    }
    try {
      shardkv(server).status(Empty.getDefaultInstance());
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        return Optional.of(failure(server, e));
      }
    }
    try {
      shardkv(server).get(GetRequest.newBuilder().setKey(SocialKeys.ALL_USERS).build());
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return Optional.of(server + " answers gRPC but is not a shardkv server (no Shardkv service)");
      }
      return Optional.of(failure(server, e));
    }
  }

  /**
   * A channel that failed to connect before stays failed until it connects again: it is asked to
   * try again at once, and given up to the deadline to succeed, so a server started since the last
   * probe passes this one.
   */
  private void retryNowIfFailed(ManagedChannel channel) {
    if (channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    CountDownLatch changed = new CountDownLatch(1);
    channel.notifyWhenStateChanged(ConnectivityState.TRANSIENT_FAILURE, changed::countDown);
    channel.resetConnectBackoff();
    try {
      changed.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ServingStatus health(String server) {
    return HealthGrpc.newBlockingStub(channel(server))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .check(HealthCheckRequest.getDefaultInstance())
        .getStatus();
  }

  private ShardkvGrpc.ShardkvBlockingStub shardkv(String server) {
    return ShardkvGrpc.newBlockingStub(channel(server))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ManagedChannel channel(String server) {
    return channels.channel(server);
  }

  private String failure(String server, StatusRuntimeException e) {
    Status status = e.getStatus();
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return server + " did not answer within " + deadline.toMillis() + " ms";
    }
    for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        String message = String.valueOf(cause.getMessage());
        return "nothing answers at " + server + " ("
            + (message.contains("refused") ? "connection refused" : message) + ")";
      }
    }
    String description = status.getDescription();
    return server + " cannot be asked: " + status.getCode()
        + (description == null ? "" : ": " + description);
  }
}
