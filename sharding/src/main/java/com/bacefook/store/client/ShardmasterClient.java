package com.bacefook.store.client;

import com.bacefook.store.proto.GDPRDeleteRequest;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.LeaveRequest;
import com.bacefook.store.proto.MoveRequest;
import com.bacefook.store.proto.QueryConfigRequest;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ShardRange;
import com.google.protobuf.Empty;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * A blocking client of the shardmaster; every call has a deadline.
 *
 * <p>Given the members of a replicated shardmaster, it remembers the leader and follows it: on a
 * follower's refusal it goes to the leader the refusal names, on {@code UNAVAILABLE} or an attempt's
 * deadline to the next address, until the call's deadline. Reads and refused changes are retried
 * freely. A change whose outcome is unknown (the attempt timed out or the connection broke) is tried
 * again too; if the retry is rejected (a Join finds the server already joined) and the configuration
 * shows the change made, the call succeeds.
 */
public final class ShardmasterClient {
  /** How long the client waits before the next address when the last did not name the leader. */
  private static final Duration PAUSE = Duration.ofMillis(50);
  private static final long ONE_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final ShardmasterAddresses addresses;
  private final Function<String, Channel> channels;
  private final Duration deadline;
  private final Duration gdprDeadline;
  /** Where calls go first: the leader, once a call found it. */
  private final AtomicReference<String> target;

  /** Creates a client over {@code channel} with a 5 s deadline (60 s for GDPR deletes). */
  public ShardmasterClient(Channel channel) {
    this(channel, Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  /** Creates a client over {@code channel} with the given deadlines. */
  public ShardmasterClient(Channel channel, Duration deadline, Duration gdprDeadline) {
    this(new ShardmasterAddresses(List.of(channel.authority())), a -> channel, deadline, gdprDeadline);
  }

  /**
   * Creates a client of the shardmaster at {@code addresses}, reaching each address (and any leader
   * a refusal names) through {@code channels}, with the given deadlines.
   */
  public ShardmasterClient(
      ShardmasterAddresses addresses,
      Function<String, Channel> channels,
      Duration deadline,
      Duration gdprDeadline) {
    this.addresses = addresses;
    this.channels = channels;
    this.deadline = deadline;
    this.gdprDeadline = gdprDeadline;
    this.target = new AtomicReference<>(addresses.first());
  }

  /** Creates a client of {@code addresses} with a 5 s deadline (60 s for GDPR deletes). */
  public ShardmasterClient(ShardmasterAddresses addresses, Function<String, Channel> channels) {
    this(addresses, channels, Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  /** Adds {@code server} to the cluster. */
  public void join(String server) {
    join(server, Optional.empty());
  }

  /** Adds {@code server} to the cluster, as the leader of {@code group} if given. */
  public void join(String server, Optional<ReplicaSet> group) {
    change(
        stub -> stub.join(joinRequest(server, group).build()),
        config -> config.contains(server));
  }

  /**
   * Puts {@code server} in the place of {@code replaced}, with its ranges: a replica group's new
   * leader does so under its own address.
   */
  public void replace(String replaced, String server) {
    replace(replaced, server, Optional.empty());
  }

  /**
   * Puts {@code server}, leading {@code group} if given, in the place of {@code replaced}, with its
   * ranges; with {@code replaced} equal to {@code server}, only updates the listed group.
   */
  public void replace(String replaced, String server, Optional<ReplicaSet> group) {
    change(
        stub -> stub.join(joinRequest(server, group).setReplaces(replaced).build()),
        config ->
            server.equals(replaced)
                ? config.entryNamedBy(server).map(e -> e.group().equals(group)).orElse(false)
                : config.contains(server) && !config.contains(replaced));
  }

  private static JoinRequest.Builder joinRequest(String server, Optional<ReplicaSet> group) {
    JoinRequest.Builder request = JoinRequest.newBuilder().setServer(server);
    group.ifPresent(g -> request.setGroup(g.name()).addAllReplicas(g.replicas()));
    return request;
  }

  /** Removes all of {@code servers} from the cluster, or none of them. */
  public void leave(List<String> servers) {
    change(
        stub -> stub.leave(LeaveRequest.newBuilder().addAllServers(servers).build()),
        config -> servers.stream().noneMatch(config::contains));
  }

  /** Gives exactly {@code range} to {@code server}. */
  public void move(String server, ShardRange range) {
    change(
        stub ->
            stub.move(
                MoveRequest.newBuilder()
                    .setServer(server)
                    .setShard(ProtoConfigurations.toProto(range))
                    .build()),
        config ->
            IntStream.rangeClosed(range.lower(), range.upper())
                .allMatch(id -> config.isOwner(server, id)));
  }

  /** Returns the current configuration. */
  public Configuration query() {
    QueryResponse answer = call(deadline, stub -> stub.query(Empty.getDefaultInstance()));
    return ProtoConfigurations.fromProto(answer);
  }

  /**
   * Returns configuration number {@code number}.
   *
   * @throws StatusRuntimeException {@code NOT_FOUND} if there is no such configuration yet
   */
  public Configuration query(long number) {
    QueryResponse answer =
        call(
            deadline,
            stub -> stub.queryConfig(QueryConfigRequest.newBuilder().setNum(number).build()));
    return ProtoConfigurations.fromProto(answer);
  }

  /** Erases {@code userKey} and all of its posts from the cluster. */
  public void gdprDelete(String userKey) {
    call(gdprDeadline, stub -> stub.gDPRDelete(GDPRDeleteRequest.newBuilder().setKey(userKey).build()));
  }

  /**
   * Makes a change; if an attempt's outcome was unknown and a later attempt is rejected, succeeds
   * when {@code made} holds for the current configuration (the first attempt was applied).
   */
  private void change(
      Function<ShardmasterGrpc.ShardmasterBlockingStub, Empty> rpc, Predicate<Configuration> made) {
    boolean[] unknown = {false};
    try {
      call(
          deadline,
          stub -> {
            try {
              return rpc.apply(stub);
            } catch (StatusRuntimeException e) {
              unknown[0] |= outcomeUnknown(e);
              throw e;
            }
          });
    } catch (StatusRuntimeException e) {
      if (!unknown[0]
          || e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT
          || !made.test(query())) {
        throw e;
      }
    }
  }

  /** Whether the call may have been applied although it failed. */
  private static boolean outcomeUnknown(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return !Refusals.isRefusal(e)
        && (code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNAVAILABLE || connectionLost(e));
  }

  /**
   * Whether the connection broke under the call: gRPC says {@code UNKNOWN: channel closed} when a
   * member dies mid-call (a kill -9), not {@code UNAVAILABLE}.
   */
  private static boolean connectionLost(StatusRuntimeException e) {
    return e.getStatus().getCode() == Status.Code.UNKNOWN
        && (e.getCause() instanceof ClosedChannelException
            || "channel closed".equals(e.getStatus().getDescription()));
  }

  /**
   * Runs {@code rpc} on the leader, or the first address, and follows refusals and failures to the
   * next until {@code timeout} has passed. With a single address and no refusal naming a leader,
   * tries once.
   */
  private <T> T call(
      Duration timeout, Function<ShardmasterGrpc.ShardmasterBlockingStub, T> rpc) {
    long end = System.nanoTime() + timeout.toNanos();
    String at = target.get();
    StatusRuntimeException refused = null;
    while (true) {
      long left = end - System.nanoTime();
      // Among several addresses, one attempt takes at most half of what is left (at least 1 s), so
      // a member that hangs leaves time for the next.
      long attempt =
          addresses.addresses().size() == 1 ? left : Math.min(left, Math.max(left / 2, ONE_SECOND));
      try {
        T answer =
            rpc.apply(
                ShardmasterGrpc.newBlockingStub(channels.apply(at))
                    .withDeadlineAfter(attempt, TimeUnit.NANOSECONDS));
        target.set(at);
        return answer;
      } catch (StatusRuntimeException e) {
        // An attempt cut short by the call's deadline says less than the refusal before it.
        if (refused != null && e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
          e = refused;
        } else if (Refusals.isRefusal(e)) {
          refused = e;
        }
        Optional<String> next = next(e, at);
        if (next.isEmpty()) {
          if (!elsewhere(e)) {
            // The member answered (a rejection, NOT_FOUND): it leads.
            target.set(at);
          }
          throw e;
        }
        if (end - System.nanoTime() <= 0) {
          throw e;
        }
        if (Refusals.ownerHint(e).isEmpty()) {
          pause();
        }
        at = next.get();
      }
    }
  }

  /** Where to try after {@code failure} at {@code at}: the leader it names, another address, or nowhere. */
  private Optional<String> next(StatusRuntimeException failure, String at) {
    if (Refusals.isNotLeader(failure)) {
      Optional<String> leader = Refusals.ownerHint(failure);
      if (leader.isPresent() && !leader.get().equals(at)) {
        return leader;
      }
    }
    if (!elsewhere(failure) || addresses.addresses().size() == 1) {
      return Optional.empty();
    }
    return Optional.of(addresses.after(at));
  }

  /** Whether {@code failure} says to try another member: a follower, or one not reached in time. */
  private static boolean elsewhere(StatusRuntimeException failure) {
    Status.Code code = failure.getStatus().getCode();
    return Refusals.isNotLeader(failure)
        || code == Status.Code.UNAVAILABLE
        || code == Status.Code.DEADLINE_EXCEEDED
        || connectionLost(failure);
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }
}
