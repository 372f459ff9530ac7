package com.bacefook.store.shardkv;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.QueryConfigRequest;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A shardmaster on grpc's in-process transport whose configurations the test publishes one by one.
 * {@link #queryOnly} makes it behave like the original shardmaster: no {@code QueryConfig} and no
 * {@code config_num}.
 */
final class FakeShardmaster implements AutoCloseable {
  private final String address;
  private final boolean queryOnly;
  private final List<Configuration> history = new CopyOnWriteArrayList<>(List.of(Configuration.EMPTY));
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicInteger newJoins = new AtomicInteger();
  private final Server server;

  private FakeShardmaster(String address, boolean queryOnly) {
    this.address = address;
    this.queryOnly = queryOnly;
    try {
      this.server =
          InProcessServerBuilder.forName(address).addService(new Service()).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A shardmaster with {@code QueryConfig}, at the in-process address {@code address}. */
  static FakeShardmaster numbered(String address) {
    return new FakeShardmaster(address, false);
  }

  /** A shardmaster like the original: {@code Query} only, without configuration numbers. */
  static FakeShardmaster queryOnly(String address) {
    return new FakeShardmaster(address, true);
  }

  String address() {
    return address;
  }

  /** How many {@code Query} calls it answered. */
  int queries() {
    return queries.get();
  }

  /** How many {@code Join}s it accepted that replaced no server (a re-listing replaces one). */
  int newJoins() {
    return newJoins.get();
  }

  /**
   * Publishes the next configuration: {@code owners[i]} owns {@code ranges[i]} (keeping the replica
   * group the latest configuration lists under that name, if any); returns it.
   */
  Configuration publish(Object... serverThenRanges) {
    List<ServerRanges> servers = new ArrayList<>();
    for (int i = 0; i < serverThenRanges.length; i += 2) {
      String server = (String) serverThenRanges[i];
      @SuppressWarnings("unchecked")
      List<ShardRange> ranges = (List<ShardRange>) serverThenRanges[i + 1];
      servers.add(
          new ServerRanges(
              server,
              ranges,
              latest().entryNamedBy(server).filter(e -> e.server().equals(server)).flatMap(ServerRanges::group)));
    }
    Configuration next = new Configuration(history.size(), servers);
    history.add(next);
    return next;
  }

  Configuration latest() {
    return history.get(history.size() - 1);
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private final class Service extends ShardmasterGrpc.ShardmasterImplBase {
    /**
     * A first join gets every ID; a later one is listed without ranges (nothing rebalances here);
     * one that replaces a server takes its ranges (and its group, unless it names one); one that
     * replaces itself only lists its group anew.
     */
    @Override
    public synchronized void join(JoinRequest request, StreamObserver<Empty> response) {
      Configuration now = latest();
      String replaced = request.getReplaces();
      boolean update = replaced.equals(request.getServer());
      if ((now.contains(request.getServer()) && !update)
          || !(replaced.isEmpty() || now.contains(replaced))) {
        response.onError(
            Status.INVALID_ARGUMENT
                .withDescription("cannot join " + request.getServer() + " in place of " + replaced)
                .asRuntimeException());
        return;
      }
      List<ServerRanges> servers = new ArrayList<>();
      for (ServerRanges entry : now.servers()) {
        servers.add(
            entry.server().equals(replaced)
                ? new ServerRanges(
                    request.getServer(),
                    entry.ranges(),
                    ProtoConfigurations.groupOf(request).or(entry::group))
                : entry);
      }
      if (replaced.isEmpty()) {
        newJoins.incrementAndGet();
        servers.add(
            new ServerRanges(
                request.getServer(),
                servers.isEmpty() ? List.of(ShardRange.ALL) : List.of(),
                ProtoConfigurations.groupOf(request)));
      }
      history.add(new Configuration(history.size(), servers));
      response.onNext(Empty.getDefaultInstance());
      response.onCompleted();
    }

    @Override
    public void query(Empty request, StreamObserver<QueryResponse> response) {
      queries.incrementAndGet();
      QueryResponse answer = ProtoConfigurations.toProto(latest());
      response.onNext(queryOnly ? answer.toBuilder().clearConfigNum().build() : answer);
      response.onCompleted();
    }

    @Override
    public void queryConfig(QueryConfigRequest request, StreamObserver<QueryResponse> response) {
      if (queryOnly) {
        super.queryConfig(request, response);
        return;
      }
      long number = request.getNum();
      if (number >= history.size()) {
        response.onError(Status.NOT_FOUND.withDescription("no #" + number).asRuntimeException());
        return;
      }
      response.onNext(ProtoConfigurations.toProto(history.get((int) number)));
      response.onCompleted();
    }
  }
}
