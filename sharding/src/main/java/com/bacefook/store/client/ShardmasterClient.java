package com.bacefook.store.client;

import com.bacefook.store.proto.GDPRDeleteRequest;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.LeaveRequest;
import com.bacefook.store.proto.MoveRequest;
import com.bacefook.store.proto.QueryConfigRequest;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ShardRange;
import com.google.protobuf.Empty;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A blocking client of the shardmaster; every call has a deadline. */
public final class ShardmasterClient {
  private final ShardmasterGrpc.ShardmasterBlockingStub stub;
  private final Duration deadline;
  private final Duration gdprDeadline;

  /** Creates a client over {@code channel} with a 5 s deadline (60 s for GDPR deletes). */
  public ShardmasterClient(Channel channel) {
    this(channel, Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  /** Creates a client over {@code channel} with the given deadlines. */
  public ShardmasterClient(Channel channel, Duration deadline, Duration gdprDeadline) {
    this.stub = ShardmasterGrpc.newBlockingStub(channel);
    this.deadline = deadline;
    this.gdprDeadline = gdprDeadline;
  }

  private ShardmasterGrpc.ShardmasterBlockingStub stub(Duration timeout) {
    return stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Adds {@code server} to the cluster. */
  public void join(String server) {
    join(server, Optional.empty());
  }

  /** Adds {@code server} to the cluster, as the leader of {@code group} if given. */
  public void join(String server, Optional<ReplicaSet> group) {
    stub(deadline).join(joinRequest(server, group).build());
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
    stub(deadline).join(joinRequest(server, group).setReplaces(replaced).build());
  }

  private static JoinRequest.Builder joinRequest(String server, Optional<ReplicaSet> group) {
    JoinRequest.Builder request = JoinRequest.newBuilder().setServer(server);
    group.ifPresent(g -> request.setGroup(g.name()).addAllReplicas(g.replicas()));
    return request;
  }

  /** Removes all of {@code servers} from the cluster, or none of them. */
  public void leave(List<String> servers) {
    stub(deadline).leave(LeaveRequest.newBuilder().addAllServers(servers).build());
  }

  /** Gives exactly {@code range} to {@code server}. */
  public void move(String server, ShardRange range) {
    stub(deadline)
        .move(
            MoveRequest.newBuilder()
                .setServer(server)
                .setShard(ProtoConfigurations.toProto(range))
                .build());
  }

  /** Returns the current configuration. */
  public Configuration query() {
    return ProtoConfigurations.fromProto(stub(deadline).query(Empty.getDefaultInstance()));
  }

  /**
   * Returns configuration number {@code number}.
   *
   * @throws io.grpc.StatusRuntimeException {@code NOT_FOUND} if there is no such configuration yet
   */
  public Configuration query(long number) {
    return ProtoConfigurations.fromProto(
        stub(deadline).queryConfig(QueryConfigRequest.newBuilder().setNum(number).build()));
  }

  /** Erases {@code userKey} and all of its posts from the cluster. */
  public void gdprDelete(String userKey) {
    stub(gdprDeadline).gDPRDelete(GDPRDeleteRequest.newBuilder().setKey(userKey).build());
  }
}
