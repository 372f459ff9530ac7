package com.bacefook.store.cluster;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Talks to one named server directly, bypassing routing, as the original system's clients did. */
final class Servers {
  private final MiniCluster cluster;

  Servers(MiniCluster cluster) {
    this.cluster = cluster;
  }

  ShardkvGrpc.ShardkvBlockingStub stub(String server) {
    return ShardkvGrpc.newBlockingStub(cluster.channels().channel(server))
        .withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  /** The value {@code server} holds for {@code key}, or empty if it answers NOT_FOUND. */
  Optional<String> get(String server, String key) {
    try {
      return Optional.of(stub(server).get(GetRequest.newBuilder().setKey(key).build()).getData());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  String allUsers(String server) {
    return get(server, "all_users").orElseThrow();
  }

  void put(String server, String key, String data, String user) {
    stub(server).put(PutRequest.newBuilder().setKey(key).setData(data).setUser(user).build());
  }

  void append(String server, String key, String data) {
    stub(server).append(AppendRequest.newBuilder().setKey(key).setData(data).build());
  }

  void delete(String server, String key) {
    stub(server).delete(DeleteRequest.newBuilder().setKey(key).build());
  }
}
