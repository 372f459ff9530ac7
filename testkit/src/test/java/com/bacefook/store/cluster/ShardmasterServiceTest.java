package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.proto.MoveRequest;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.MiniCluster;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shardmaster over gRPC: layouts, numbers and every error case leaving things unchanged. */
class ShardmasterServiceTest {
  private MiniCluster cluster;
  private ShardmasterClient shardmaster;
  private ShardmasterGrpc.ShardmasterBlockingStub stub;

  @BeforeEach
  void start() {
    cluster = MiniCluster.start();
    shardmaster = cluster.shardmasterClient();
    stub = ShardmasterGrpc.newBlockingStub(cluster.channels().channel(cluster.shardmasterAddress()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static void assertInvalid(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }

  @Test
  void queryReportsServersRangesAndTheConfigurationNumber() {
    shardmaster.join("a:1");
    shardmaster.join("b:2");
    shardmaster.move("b:2", new ShardRange(0, 500));
    QueryResponse response = stub.query(Empty.getDefaultInstance());
    assertThat(response.getConfigNum()).isEqualTo(3);
    assertThat(response.getConfig(0).getServer()).isEqualTo("a:1");
    assertThat(response.getConfig(0).getShardsList()).isEmpty();
    assertThat(response.getConfig(1).getShardsList())
        .containsExactly(
            Shard.newBuilder().setLower(501).setUpper(1000).build(),
            Shard.newBuilder().setLower(0).setUpper(500).build());
  }

  @Test
  void errorsLeaveTheConfigurationUnchanged() {
    shardmaster.join("a:1");
    Configuration before = shardmaster.query();

    assertInvalid(() -> shardmaster.join("a:1"), "already joined");
    assertInvalid(() -> shardmaster.join("not an address"), "address");
    assertInvalid(() -> shardmaster.join(""), "address");
    assertInvalid(() -> shardmaster.join("host:99999"), "address");
    assertInvalid(() -> shardmaster.leave(List.of("a:1", "b:2")), "b:2");
    assertInvalid(() -> shardmaster.leave(List.of()), "at least one");
    assertInvalid(() -> shardmaster.move("b:2", new ShardRange(0, 5)), "b:2");
    assertInvalid(
        () -> stub.move(MoveRequest.newBuilder().setServer("a:1").setShard(shard(7, 3)).build()),
        "lower is greater");
    assertInvalid(
        () -> stub.move(MoveRequest.newBuilder().setServer("a:1").setShard(shard(0, 1001)).build()),
        "[0, 1000]");
    assertInvalid(
        () -> stub.move(MoveRequest.newBuilder().setServer("a:1").setShard(shard(-1, 5)).build()),
        "[0, 1000]");
    assertInvalid(() -> stub.move(MoveRequest.newBuilder().setServer("a:1").build()), "shard");

    assertThat(shardmaster.query()).isEqualTo(before);
  }

  private static Shard shard(int lower, int upper) {
    return Shard.newBuilder().setLower(lower).setUpper(upper).build();
  }
}
