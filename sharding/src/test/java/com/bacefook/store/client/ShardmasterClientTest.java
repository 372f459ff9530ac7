package com.bacefook.store.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.google.protobuf.Empty;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client given three shardmaster addresses, each an in-process fake that plays one member. */
class ShardmasterClientTest {
  private static final Configuration ONE_SERVER =
      new Configuration(1, List.of(new ServerRanges("s:1", List.of(ShardRange.ALL))));

  private final List<Server> servers = new ArrayList<>();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  /** Every address a call reached, in order. */
  private final List<String> reached = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(Server::shutdownNow);
    channels.values().forEach(ManagedChannel::shutdownNow);
  }

  /**
   * Plays member {@code address}: every Join fails with {@code failure} (OK if none), and so does
   * every Query unless it is a rejection ({@code INVALID_ARGUMENT}).
   */
  private void member(String address, Optional<Status> failure, Map<String, String> trailers)
      throws IOException {
    servers.add(
        InProcessServerBuilder.forName(address)
            .directExecutor()
            .addService(
                new ShardmasterGrpc.ShardmasterImplBase() {
                  @Override
                  public void query(Empty request, StreamObserver<QueryResponse> response) {
                    reached.add(address);
                    if (failure.isPresent()
                        && failure.get().getCode() != Status.Code.INVALID_ARGUMENT) {
                      response.onError(refusal(failure.get(), trailers));
                      return;
                    }
                    response.onNext(ProtoConfigurations.toProto(ONE_SERVER));
                    response.onCompleted();
                  }

                  @Override
                  public void join(JoinRequest request, StreamObserver<Empty> response) {
                    reached.add(address);
                    response.onError(refusal(failure.orElse(Status.OK), trailers));
                  }
                })
            .build()
            .start());
  }

  private static StatusRuntimeException refusal(Status status, Map<String, String> trailers) {
    io.grpc.Metadata metadata = new io.grpc.Metadata();
    trailers.forEach(
        (k, v) -> metadata.put(io.grpc.Metadata.Key.of(k, io.grpc.Metadata.ASCII_STRING_MARSHALLER), v));
    return status.asRuntimeException(metadata);
  }

  private Channel channel(String address) {
    return channels.computeIfAbsent(
        address, a -> InProcessChannelBuilder.forName(a).directExecutor().build());
  }

  private ShardmasterClient client() {
    return new ShardmasterClient(
        ShardmasterAddresses.parse("a:1,b:2,c:3"),
        this::channel,
        Duration.ofSeconds(2),
        Duration.ofSeconds(2));
  }

  private static Map<String, String> notLeader(Optional<String> leader) {
    return leader
        .map(l -> Map.of(Refusals.REFUSED.name(), "not-leader", Refusals.OWNER.name(), l))
        .orElse(Map.of(Refusals.REFUSED.name(), "not-leader"));
  }

  @Test
  void aFollowersRefusalSendsTheCallToTheLeaderItNames() throws IOException {
    member("a:1", Optional.of(Status.FAILED_PRECONDITION), notLeader(Optional.of("c:3")));
    member("b:2", Optional.of(Status.FAILED_PRECONDITION), notLeader(Optional.of("c:3")));
    member("c:3", Optional.empty(), Map.of());
    ShardmasterClient client = client();

    assertThat(client.query()).isEqualTo(ONE_SERVER);
    assertThat(client.query()).isEqualTo(ONE_SERVER);

    // The second call went to the leader at once.
    assertThat(reached).containsExactly("a:1", "c:3", "c:3");
  }

  @Test
  void anUnreachableOrLeaderlessMemberSendsTheCallToTheNextAddress() throws IOException {
    // a:1 is not started: its channel fails with UNAVAILABLE.
    member("b:2", Optional.of(Status.UNAVAILABLE), notLeader(Optional.empty()));
    member("c:3", Optional.empty(), Map.of());

    assertThat(client().query()).isEqualTo(ONE_SERVER);
    assertThat(reached).containsExactly("b:2", "c:3");
  }

  @Test
  void aMemberWhoseConnectionClosesMidCallSendsTheCallToTheNextAddress() throws IOException {
    // What gRPC reports when the member is killed under the call.
    member("a:1", Optional.of(Status.UNKNOWN.withDescription("channel closed")), Map.of());
    member("b:2", Optional.empty(), Map.of());

    assertThat(client().query()).isEqualTo(ONE_SERVER);
    assertThat(reached).containsExactly("a:1", "b:2");
  }

  @Test
  void whenNoMemberAnswersTheCallFailsWithTheLastRefusalByItsDeadline() throws IOException {
    member("a:1", Optional.of(Status.UNAVAILABLE.withDescription("sees 1 of 3")), notLeader(Optional.empty()));
    member("b:2", Optional.of(Status.UNAVAILABLE.withDescription("sees 1 of 3")), notLeader(Optional.empty()));
    member("c:3", Optional.of(Status.UNAVAILABLE.withDescription("sees 1 of 3")), notLeader(Optional.empty()));
    long start = System.nanoTime();

    assertThatThrownBy(() -> client().query())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("sees 1 of 3");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(reached).hasSizeGreaterThan(3);
  }

  @Test
  void aJoinWhoseFirstAttemptMayHaveBeenAppliedSucceedsWhenTheConfigurationShowsIt()
      throws IOException {
    // a:1 broke off mid-call (outcome unknown); b:2, the new leader, already holds the join.
    member("a:1", Optional.of(Status.UNAVAILABLE.withDescription("connection reset")), Map.of());
    member("b:2", Optional.of(Status.INVALID_ARGUMENT.withDescription("server s:1 has already joined")), Map.of());

    client().join("s:1");

    assertThat(reached).containsExactly("a:1", "b:2", "b:2");
  }

  @Test
  void aRejectedJoinWithoutAnEarlierUnknownOutcomeStaysRejected() throws IOException {
    member("a:1", Optional.of(Status.INVALID_ARGUMENT.withDescription("server s:1 has already joined")), Map.of());

    assertThatThrownBy(() -> client().join("s:1"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(reached).containsExactly("a:1");
  }

  @Test
  void aSingleAddressIsTriedOnce() throws IOException {
    member("a:1", Optional.of(Status.UNAVAILABLE), Map.of());
    ShardmasterClient client =
        new ShardmasterClient(channel("a:1"), Duration.ofSeconds(2), Duration.ofSeconds(2));

    assertThatThrownBy(client::query).isInstanceOf(StatusRuntimeException.class);
    assertThat(reached).containsExactly("a:1");
  }
}
