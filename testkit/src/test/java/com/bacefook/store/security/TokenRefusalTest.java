package com.bacefook.store.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.DeleteBatch;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GDPRDeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.LeaveRequest;
import com.bacefook.store.proto.MoveRequest;
import com.bacefook.store.proto.PostListUpdate;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.QueryConfigRequest;
import com.bacefook.store.proto.ScanRequest;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.rpc.Erasure;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.TestSecurity;
import com.google.protobuf.Empty;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RPC of a locked-down cluster (TLS, all three tokens), called over a TLS channel with a valid
 * client certificate but no token, a malformed header, a wrong token and each token of the wrong kind:
 * each is refused with the documented code, and nothing changes on the shardmaster or the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenRefusalTest {
  private MiniCluster cluster;
  private TestSecurity security;
  private String server;
  private ManagedChannel shardmasterChannel;
  private ManagedChannel serverChannel;

  /** One RPC as an attacker would send it, with the headers given. */
  private record Rpc(String name, Access access, boolean toShardmaster, Consumer<Channel> call) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** What the attacker sends in {@code authorization} (null: no header), and who holds that token. */
  private record Attempt(String name, Optional<Access> tokenKind) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  void startCluster() {
    cluster = MiniCluster.startSecure(ShardkvServer.Options.DEFAULT);
    security = cluster.security().orElseThrow();
    server = cluster.startAndJoin();
    cluster.newStoreClient().put("user_1", "Ada", "");
    cluster.newStoreClient().put("post_2", "hello", "user_1");
    Security certificateOnly = new Security(Optional.of(security.certificates().files("client")), Tokens.NONE);
    shardmasterChannel = certificateOnly.channelFactory().create(cluster.shardmasterAddress());
    serverChannel = certificateOnly.channelFactory().create(server);
  }

  @AfterAll
  void stopCluster() throws InterruptedException {
    shardmasterChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    serverChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    cluster.close();
  }

  Stream<Arguments> refusals() {
    List<Arguments> cases = new ArrayList<>();
    for (Rpc rpc : rpcs()) {
      cases.add(Arguments.of(rpc, new Attempt("no header", Optional.empty()), Status.Code.UNAUTHENTICATED));
      cases.add(Arguments.of(rpc, new Attempt("Basic scheme", Optional.empty()), Status.Code.UNAUTHENTICATED));
      cases.add(Arguments.of(rpc, new Attempt("wrong token", Optional.empty()), Status.Code.PERMISSION_DENIED));
      for (Access kind : List.of(Access.ADMIN, Access.CLUSTER, Access.DATA)) {
        if (!accepts(rpc.access(), kind)) {
          cases.add(
              Arguments.of(rpc, new Attempt(kind + " token", Optional.of(kind)), Status.Code.PERMISSION_DENIED));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} with {1} is {2}")
  @MethodSource("refusals")
  void everyRpcRefusesAMissingWrongOrOtherKindOfTokenAndWritesNothing(
      Rpc rpc, Attempt attempt, Status.Code expected) {
    String before = snapshot();
    Channel channel = withHeader(rpc.toShardmaster() ? shardmasterChannel : serverChannel, header(attempt));

    assertThatThrownBy(() -> rpc.call().accept(channel))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(expected);
              assertThat(e.getStatus().getDescription())
                  .contains("token")
                  .doesNotContain(security.adminToken(), security.clusterToken(), security.clientToken());
            });
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void theRightTokenGetsPastTheCheck() {
    Channel admin = withHeader(shardmasterChannel, "Bearer " + security.adminToken());
    assertThatThrownBy(
            () -> ShardmasterGrpc.newBlockingStub(admin)
                .leave(LeaveRequest.newBuilder().addServers("127.0.0.1:1").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    Channel client = withHeader(serverChannel, "Bearer " + security.clientToken());
    assertThat(ShardkvGrpc.newBlockingStub(client).get(GetRequest.newBuilder().setKey("user_1").build()).getData())
        .isEqualTo("Ada");
    Channel clusterToken = withHeader(serverChannel, "bearer " + security.clusterToken());
    assertThat(ShardkvGrpc.newBlockingStub(clusterToken).status(Empty.getDefaultInstance()).getKeys())
        .isGreaterThan(0);
  }

  private static boolean accepts(Access access, Access tokenKind) {
    return switch (access) {
      case READ, DATA -> true;
      case ADMIN -> tokenKind == Access.ADMIN;
      case CLUSTER -> tokenKind == Access.CLUSTER;
    };
  }

  private String header(Attempt attempt) {
    if (attempt.tokenKind().isPresent()) {
      return "Bearer " + switch (attempt.tokenKind().get()) {
        case ADMIN -> security.adminToken();
        case CLUSTER -> security.clusterToken();
        case DATA, READ -> security.clientToken();
      };
    }
    return switch (attempt.name()) {
      case "Basic scheme" -> "Basic " + security.adminToken();
      case "wrong token" -> "Bearer " + TestSecurity.randomToken();
      default -> null;
    };
  }

  private static Channel withHeader(Channel channel, String authorization) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(TokenInterceptor.AUTHORIZATION, authorization);
    }
    return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** What a refused call must not change: the configuration, the keys held and the users' data. */
  private String snapshot() {
    return "config #" + cluster.shardmasterClient().query().number()
        + ", keys " + cluster.server(server).keyCount()
        + ", user_1 " + cluster.server(server).holds("user_1")
        + ", user_1_posts " + cluster.server(server).holds("user_1_posts")
        + ", user_3 " + cluster.server(server).holds("user_3")
        + ", user_1=" + cluster.newStoreClient().get("user_1").value()
        + ", posts=" + cluster.newStoreClient().get("user_1_posts").value();
  }

  private static Metadata configOnly() {
    Metadata headers = new Metadata();
    headers.put(Handoff.CONFIG, "99");
    return headers;
  }

  private List<Rpc> rpcs() {
    PutRequest overwrite = PutRequest.newBuilder().setKey("user_1").setData("Mallory").build();
    HandoffDone done =
        HandoffDone.newBuilder().setConfigNum(1).setSender("127.0.0.1:1").setReceiver(server).build();
    return List.of(
        new Rpc("Join", Access.ADMIN, true,
            c -> ShardmasterGrpc.newBlockingStub(c).join(JoinRequest.newBuilder().setServer("127.0.0.1:1").build())),
        new Rpc("Leave", Access.ADMIN, true,
            c -> ShardmasterGrpc.newBlockingStub(c).leave(LeaveRequest.newBuilder().addServers(server).build())),
        new Rpc("Move", Access.ADMIN, true,
            c -> ShardmasterGrpc.newBlockingStub(c).move(MoveRequest.newBuilder().setServer(server)
                .setShard(Shard.newBuilder().setLower(0).setUpper(10)).build())),
        new Rpc("GDPRDelete", Access.ADMIN, true,
            c -> ShardmasterGrpc.newBlockingStub(c).gDPRDelete(GDPRDeleteRequest.newBuilder().setKey("user_1").build())),
        new Rpc("Query", Access.READ, true,
            c -> ShardmasterGrpc.newBlockingStub(c).query(Empty.getDefaultInstance())),
        new Rpc("QueryConfig", Access.READ, true,
            c -> ShardmasterGrpc.newBlockingStub(c).queryConfig(QueryConfigRequest.newBuilder().setNum(1).build())),
        new Rpc("Health on the shardmaster", Access.READ, true,
            c -> HealthGrpc.newBlockingStub(c).check(HealthCheckRequest.getDefaultInstance())),
        new Rpc("Get", Access.DATA, false,
            c -> ShardkvGrpc.newBlockingStub(c).get(GetRequest.newBuilder().setKey("user_1").build())),
        new Rpc("Put", Access.DATA, false, c -> ShardkvGrpc.newBlockingStub(c).put(overwrite)),
        new Rpc("Append", Access.DATA, false,
            c -> ShardkvGrpc.newBlockingStub(c).append(
                AppendRequest.newBuilder().setKey("user_1").setData(" Mallory").build())),
        new Rpc("Delete", Access.DATA, false,
            c -> ShardkvGrpc.newBlockingStub(c).delete(DeleteRequest.newBuilder().setKey("user_1").build())),
        new Rpc("PutMany", Access.DATA, false,
            c -> ShardkvGrpc.newBlockingStub(c).putMany(PutBatch.newBuilder().addPuts(overwrite).build())),
        new Rpc("DeleteMany", Access.DATA, false,
            c -> ShardkvGrpc.newBlockingStub(c).deleteMany(DeleteBatch.newBuilder().addKeys("user_1").build())),
        new Rpc("ScanKeys", Access.DATA, false,
            c -> ShardkvGrpc.newBlockingStub(c).scanKeys(ScanRequest.getDefaultInstance())),
        new Rpc("DeleteMany marked as an erase", Access.CLUSTER, false,
            c -> Erasure.mark(ShardkvGrpc.newBlockingStub(c), "user_1")
                .deleteMany(DeleteBatch.newBuilder().addKeys("post_2").build())),
        new Rpc("Status", Access.READ, false, c -> ShardkvGrpc.newBlockingStub(c).status(Empty.getDefaultInstance())),
        new Rpc("Health on a server", Access.READ, false,
            c -> HealthGrpc.newBlockingStub(c).check(HealthCheckRequest.getDefaultInstance())),
        new Rpc("Put marked as a handoff", Access.CLUSTER, false,
            c -> Handoff.mark(ShardkvGrpc.newBlockingStub(c), "127.0.0.1:1", 99).put(overwrite)),
        new Rpc("Put with only the handoff-config header", Access.CLUSTER, false,
            c -> ShardkvGrpc.newBlockingStub(c).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(configOnly()))
                .put(overwrite)),
        new Rpc("Delete marked as an erase", Access.CLUSTER, false,
            c -> Erasure.mark(ShardkvGrpc.newBlockingStub(c), "user_1")
                .delete(DeleteRequest.newBuilder().setKey("post_2").build())),
        new Rpc("UpdatePostList", Access.CLUSTER, false,
            c -> ShardkvGrpc.newBlockingStub(c).updatePostList(
                PostListUpdate.newBuilder().setUser("user_1").setPost("post_666").build())),
        new Rpc("EndHandoff", Access.CLUSTER, false, c -> ShardkvGrpc.newBlockingStub(c).endHandoff(done)),
        new Rpc("ConfirmHandoff", Access.CLUSTER, false, c -> ShardkvGrpc.newBlockingStub(c).confirmHandoff(done)),
        new Rpc("HandoffPuts", Access.CLUSTER, false,
            c -> ShardkvGrpc.newBlockingStub(c).handoffPuts(PutBatch.newBuilder()
                .addPuts(PutRequest.newBuilder().setKey("user_3").setData("injected")).build())));
  }
}
