package com.bacefook.store.bench;

import com.bacefook.store.proto.BatchReply;
import com.bacefook.store.proto.ConfigEntry;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.GetResponse;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.QueryConfigRequest;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.sharding.KeyId;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The floor of grpc-java under the bench's load: the store's own protos served by a minimal server
 * that keeps a map, runs its handlers on the transport's threads ({@code directExecutor()}) and does
 * nothing else (no ownership, interceptors, request IDs or metrics). It also answers {@code Query} as
 * a shardmaster whose one server, itself, owns every key ID, so that {@code bench steady
 * --shardmaster} drives it exactly as it drives a cluster. {@code compare-redis.sh} puts it beside
 * Redis and the store: what one gRPC call costs on this machine, before any work of the store's.
 */
final class FloorServer implements AutoCloseable {
  private final Server server;

  private FloorServer(Server server) {
    this.server = server;
  }

  /** Starts a floor server on 127.0.0.1:{@code port} (0: a free port). */
  static FloorServer start(int port) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    Store store = new Store();
    Master master = new Master();
    Server server =
        NettyServerBuilder.forAddress(address)
            .directExecutor()
            .addService(store)
            .addService(master)
            .build()
            .start();
    master.self = "127.0.0.1:" + server.getPort();
    return new FloorServer(server);
  }

  /** Returns the port it listens on. */
  int port() {
    return server.getPort();
  }

  /** Blocks until the server stops. */
  void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }

  /** Get, Put and PutMany on one map; every other call is UNIMPLEMENTED. */
  private static final class Store extends ShardkvGrpc.ShardkvImplBase {
    private final ConcurrentHashMap<String, ByteString> values = new ConcurrentHashMap<>();

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> response) {
      ByteString value = values.get(request.getKey());
      if (value == null) {
        response.onError(
            Status.NOT_FOUND.withDescription("no value for " + request.getKey()).asRuntimeException());
        return;
      }
      response.onNext(GetResponse.newBuilder().setDataBytes(value).build());
      response.onCompleted();
    }

    @Override
    public void put(PutRequest request, StreamObserver<Empty> response) {
      values.put(request.getKey(), request.getDataBytes());
      response.onNext(Empty.getDefaultInstance());
      response.onCompleted();
    }

    @Override
    public void putMany(PutBatch request, StreamObserver<BatchReply> response) {
      for (PutRequest put : request.getPutsList()) {
        values.put(put.getKey(), put.getDataBytes());
      }
      response.onNext(BatchReply.getDefaultInstance());
      response.onCompleted();
    }
  }

  /** A shardmaster with one configuration: this server owns [0, 1000]. */
  private static final class Master extends ShardmasterGrpc.ShardmasterImplBase {
    private volatile String self;

    @Override
    public void query(Empty request, StreamObserver<QueryResponse> response) {
      answer(response);
    }

    @Override
    public void queryConfig(QueryConfigRequest request, StreamObserver<QueryResponse> response) {
      answer(response);
    }

    private void answer(StreamObserver<QueryResponse> response) {
      response.onNext(
          QueryResponse.newBuilder()
              .setConfigNum(1)
              .addConfig(
                  ConfigEntry.newBuilder()
                      .setServer(self)
                      .addShards(Shard.newBuilder().setLower(KeyId.MIN).setUpper(KeyId.MAX)))
              .build());
      response.onCompleted();
    }
  }
}
