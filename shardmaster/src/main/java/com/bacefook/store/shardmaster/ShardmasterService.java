package com.bacefook.store.shardmaster;

import static com.bacefook.store.rpc.Answers.answer;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.proto.GDPRDeleteRequest;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.LeaveRequest;
import com.bacefook.store.proto.MoveRequest;
import com.bacefook.store.proto.QueryConfigRequest;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.sharding.ReplicaSet;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/** Translates Shardmaster RPCs to {@link Configurations} and {@link GdprEraser} calls. */
final class ShardmasterService extends ShardmasterGrpc.ShardmasterImplBase {
  private final Configurations history;
  private final GdprEraser eraser;

  ShardmasterService(Configurations history, GdprEraser eraser) {
    this.history = history;
    this.eraser = eraser;
  }

  @Override
  public void join(JoinRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          String server = validServer(request.getServer());
          Optional<ReplicaSet> group = ProtoConfigurations.groupOf(request);
          if (request.getReplaces().isEmpty()) {
            history.join(server, group);
          } else {
            history.replace(request.getReplaces().strip(), server, group);
          }
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void leave(LeaveRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          history.leave(request.getServersList());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void move(MoveRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          if (!request.hasShard()) {
            throw new IllegalArgumentException("move needs a shard range");
          }
          history.move(request.getServer(), ProtoConfigurations.fromProto(request.getShard()));
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void query(Empty request, StreamObserver<QueryResponse> response) {
    answer(response, () -> ProtoConfigurations.toProto(history.latest()));
  }

  @Override
  public void queryConfig(QueryConfigRequest request, StreamObserver<QueryResponse> response) {
    answer(
        response,
        () ->
            history
                .get(request.getNum())
                .map(ProtoConfigurations::toProto)
                .orElseThrow(
                    () ->
                        Status.NOT_FOUND
                            .withDescription(
                                "no configuration #" + Long.toUnsignedString(request.getNum())
                                    + "; the latest is #" + history.latest().number())
                            .asRuntimeException()));
  }

  @Override
  public void gDPRDelete(GDPRDeleteRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          history.checkServes();
          eraser.erase(request.getKey());
          return Empty.getDefaultInstance();
        });
  }

  private static String validServer(String server) {
    Addresses.parse(server);
    return server.strip();
  }

}
