package com.bacefook.store.security;

import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.proto.ShardmasterGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthGrpc;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The table of which {@link Access} each gRPC method needs. A key write that carries a server-to-server
 * marker header (a handoff or an erase) needs {@link Access#CLUSTER}, since the marker changes what the
 * server does. A method not in the table (unknown to both services) needs {@link Access#CLUSTER}.
 */
public final class MethodAccess {
  private static final Map<String, Access> TABLE =
      Stream.of(
              entry(ShardmasterGrpc.getJoinMethod(), Access.ADMIN),
              entry(ShardmasterGrpc.getLeaveMethod(), Access.ADMIN),
              entry(ShardmasterGrpc.getMoveMethod(), Access.ADMIN),
              entry(ShardmasterGrpc.getGDPRDeleteMethod(), Access.ADMIN),
              entry(ShardmasterGrpc.getQueryMethod(), Access.READ),
              entry(ShardmasterGrpc.getQueryConfigMethod(), Access.READ),
              entry(ShardkvGrpc.getGetMethod(), Access.DATA),
              entry(ShardkvGrpc.getPutMethod(), Access.DATA),
              entry(ShardkvGrpc.getAppendMethod(), Access.DATA),
              entry(ShardkvGrpc.getDeleteMethod(), Access.DATA),
              entry(ShardkvGrpc.getPutManyMethod(), Access.DATA),
              entry(ShardkvGrpc.getDeleteManyMethod(), Access.DATA),
              entry(ShardkvGrpc.getScanKeysMethod(), Access.DATA),
              entry(ShardkvGrpc.getStatusMethod(), Access.READ),
              entry(ShardkvGrpc.getUpdatePostListMethod(), Access.CLUSTER),
              entry(ShardkvGrpc.getEndHandoffMethod(), Access.CLUSTER),
              entry(ShardkvGrpc.getConfirmHandoffMethod(), Access.CLUSTER),
              entry(ShardkvGrpc.getHandoffPutsMethod(), Access.CLUSTER),
              entry(HealthGrpc.getCheckMethod(), Access.READ),
              entry(HealthGrpc.getWatchMethod(), Access.READ))
          .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

  private MethodAccess() {}

  /**
   * Returns what the method called {@code fullMethodName} ({@code Shardkv/Put}) needs; {@code marked}
   * says whether the call carries a server-to-server marker header.
   */
  public static Access of(String fullMethodName, boolean marked) {
    Access access = TABLE.getOrDefault(fullMethodName, Access.CLUSTER);
    return marked && access == Access.DATA ? Access.CLUSTER : access;
  }

  private static Map.Entry<String, Access> entry(MethodDescriptor<?, ?> method, Access access) {
    return Map.entry(method.getFullMethodName(), access);
  }
}
