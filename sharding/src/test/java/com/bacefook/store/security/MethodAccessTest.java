package com.bacefook.store.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MethodAccessTest {
  @ParameterizedTest(name = "{0} (marked {1}) needs {2}")
  @CsvSource({
    "Shardmaster/Join, false, ADMIN",
    "Shardmaster/Leave, false, ADMIN",
    "Shardmaster/Move, false, ADMIN",
    "Shardmaster/GDPRDelete, false, ADMIN",
    "Shardmaster/Query, false, READ",
    "Shardmaster/QueryConfig, false, READ",
    "Shardkv/Get, false, DATA",
    "Shardkv/Put, false, DATA",
    "Shardkv/Append, false, DATA",
    "Shardkv/Delete, false, DATA",
    "Shardkv/Status, false, READ",
    "Shardkv/UpdatePostList, false, CLUSTER",
    "Shardkv/EndHandoff, false, CLUSTER",
    "Shardkv/ConfirmHandoff, false, CLUSTER",
    "Shardkv/HandoffPuts, false, CLUSTER",
    "grpc.health.v1.Health/Check, false, READ",
    "grpc.health.v1.Health/Watch, false, READ",
    "Shardkv/Put, true, CLUSTER",
    "Shardkv/Delete, true, CLUSTER",
    "Shardmaster/Join, true, ADMIN",
    "Shardmaster/Query, true, READ",
    "Shardkv/Replicate, false, CLUSTER",
    "grpc.reflection.v1.ServerReflection/ServerReflectionInfo, false, CLUSTER"
  })
  void eachMethodNeedsItsAccessAndMarkedWritesNeedTheClusterToken(
      String method, boolean marked, Access expected) {
    assertThat(MethodAccess.of(method, marked)).isEqualTo(expected);
  }
}
