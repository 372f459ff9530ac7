package com.bacefook.store.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.proto.ConfigEntry;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtoConfigurationsTest {
  private static final ReplicaSet GROUP = new ReplicaSet("g1", List.of("h:1", "h:2", "h:3"));

  @Test
  void aGroupsNameAndReplicasSurviveTheWireAndItsServerStaysTheLeader() {
    Configuration config =
        new Configuration(
            4,
            List.of(
                new ServerRanges("h:2", List.of(new ShardRange(0, 500)), Optional.of(GROUP)),
                new ServerRanges("solo:9", List.of(new ShardRange(501, 1000)))));

    QueryResponse wire = ProtoConfigurations.toProto(config);

    assertThat(wire.getConfig(0).getServer()).isEqualTo("h:2");
    assertThat(wire.getConfig(0).getGroup()).isEqualTo("g1");
    assertThat(wire.getConfig(0).getReplicasList()).containsExactly("h:1", "h:2", "h:3");
    assertThat(wire.getConfig(1).getGroup()).isEmpty();
    assertThat(wire.getConfig(1).getReplicasList()).isEmpty();
    assertThat(ProtoConfigurations.fromProto(wire)).isEqualTo(config);
  }

  @Test
  void anEntryOfAnOlderShardmasterReadsAsAServerOfItsOwn() {
    QueryResponse wire =
        QueryResponse.newBuilder()
            .setConfigNum(1)
            .addConfig(ConfigEntry.newBuilder().setServer("old:1"))
            .build();

    assertThat(ProtoConfigurations.fromProto(wire).servers().get(0).group()).isEmpty();
  }

  @Test
  void replicasWithoutAGroupNameOrListedTwiceAreRejected() {
    assertThatThrownBy(
            () ->
                ProtoConfigurations.groupOf(
                    JoinRequest.newBuilder().setServer("h:1").addReplicas("h:1").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a group name");
    assertThatThrownBy(
            () ->
                ProtoConfigurations.groupOf(
                    ConfigEntry.newBuilder().setGroup("g").addReplicas("h:1").addReplicas("h:1").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThat(
            ProtoConfigurations.groupOf(
                JoinRequest.newBuilder().setGroup("g1").addAllReplicas(GROUP.replicas()).build()))
        .contains(GROUP);
  }
}
