package com.bacefook.store.cli;

import com.bacefook.store.proto.ReplicaStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.ReplicaSet;
import io.grpc.Status;
import java.util.Optional;

/**
 * How {@code join ADDRESS} adds a replica group when ADDRESS is any of its members: under the leader
 * the member names, with every member's announced address.
 *
 * @param leader the leader's client address
 * @param replicas the group's name and members' addresses
 */
record GroupJoin(String leader, ReplicaSet replicas) {
  /**
   * Reads what a server's {@code Status} says of its group: empty for a server of its own.
   *
   * @throws io.grpc.StatusRuntimeException {@code UNAVAILABLE} if it is a member of a group that has
   *     no leader now
   */
  static Optional<GroupJoin> of(ServerStatus status) {
    if (status.getGroup().isEmpty()) {
      return Optional.empty();
    }
    if (status.getLeader().isEmpty()) {
      throw Status.UNAVAILABLE
          .withDescription(
              status.getServer() + " is a member of replica group " + Quote.of(status.getGroup())
                  + ", which has no leader now; try again shortly")
          .asRuntimeException();
    }
    return Optional.of(
        new GroupJoin(
            status.getLeader(),
            new ReplicaSet(
                status.getGroup(),
                status.getReplicasList().stream()
                    .map(ReplicaStatus::getAddress)
                    .filter(address -> !address.isEmpty())
                    .toList())));
  }
}
