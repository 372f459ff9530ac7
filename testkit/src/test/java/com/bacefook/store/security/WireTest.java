package com.bacefook.store.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.TestSecurity;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reads the wire between a client and a server through a recording relay: on a secure cluster neither
 * the key, its value nor the token appears in the bytes; on an open cluster the value does (so the
 * recording would catch a leak).
 */
class WireTest {
  @Test
  void aSecureClusterSendsNoKeyValueOrTokenInPlainText() {
    try (MiniCluster cluster = MiniCluster.startSecure(ShardkvServer.Options.DEFAULT)) {
      String value = "canary-" + TestSecurity.randomToken();
      String wire = putAndGetThroughRelay(cluster, value);

      assertThat(wire).isNotEmpty().doesNotContain(value).doesNotContain("user_42");
      assertThat(wire).doesNotContain(cluster.security().orElseThrow().clientToken());
    }
  }

  @Test
  void anOpenClusterShowsTheValueOnTheWire() {
    try (MiniCluster cluster = MiniCluster.start()) {
      String value = "canary-" + TestSecurity.randomToken();

      assertThat(putAndGetThroughRelay(cluster, value)).contains(value).contains("user_42");
    }
  }

  private static String putAndGetThroughRelay(MiniCluster cluster, String value) {
    String server = cluster.startAndJoin();
    try (RecordingRelay relay = new RecordingRelay(cluster.server(server).port())) {
      ManagedChannel channel = cluster.channelFactory().create(relay.address());
      try {
        ShardkvGrpc.ShardkvBlockingStub stub =
            ShardkvGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        stub.put(PutRequest.newBuilder().setKey("user_42").setData(value).build());
        assertThat(stub.get(GetRequest.newBuilder().setKey("user_42").build()).getData()).isEqualTo(value);
      } finally {
        channel.shutdownNow();
      }
      return relay.recorded();
    }
  }
}
