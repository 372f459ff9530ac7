package com.bacefook.store.testkit;

import com.bacefook.store.proto.ReplicaStatus;

/** Hand-built {@link ReplicaStatus} answers, for tests of what shows a replica group. */
public final class ReplicaStatuses {
  private ReplicaStatuses() {}

  /** Member {@code id} at {@code address} in {@code role}, healthy or not, {@code lag} entries behind. */
  public static ReplicaStatus of(String id, String address, String role, boolean healthy, long lag) {
    return ReplicaStatus.newBuilder()
        .setRaftId(id)
        .setAddress(address)
        .setRole(role)
        .setHealthy(healthy)
        .setLag(lag)
        .build();
  }
}
