package com.bacefook.store.client;

import com.bacefook.store.proto.ConfigEntry;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Converts configurations to and from their wire form, {@link QueryResponse}. */
public final class ProtoConfigurations {
  private ProtoConfigurations() {}

  /** Returns the wire form of {@code config}. */
  public static QueryResponse toProto(Configuration config) {
    QueryResponse.Builder response = QueryResponse.newBuilder().setConfigNum(config.number());
    for (ServerRanges entry : config.servers()) {
      ConfigEntry.Builder proto = response.addConfigBuilder().setServer(entry.server());
      entry.group().ifPresent(g -> proto.setGroup(g.name()).addAllReplicas(g.replicas()));
      for (ShardRange range : entry.ranges()) {
        proto.addShards(toProto(range));
      }
    }
    return response.build();
  }

  /** Returns the wire form of {@code range}. */
  public static Shard toProto(ShardRange range) {
    return Shard.newBuilder().setLower(range.lower()).setUpper(range.upper()).build();
  }

  /**
   * Reads a range from the wire (its bounds are unsigned there).
   *
   * @throws IllegalArgumentException if it is not a valid range
   */
  public static ShardRange fromProto(Shard shard) {
    return ShardRange.validated(
        Integer.toUnsignedLong(shard.getLower()), Integer.toUnsignedLong(shard.getUpper()));
  }

  /**
   * Reads a configuration from the wire.
   *
   * @throws IllegalArgumentException if it is not a valid configuration
   */
  public static Configuration fromProto(QueryResponse response) {
    List<ServerRanges> servers = new ArrayList<>();
    for (ConfigEntry entry : response.getConfigList()) {
      List<ShardRange> ranges = new ArrayList<>();
      for (Shard shard : entry.getShardsList()) {
        ranges.add(fromProto(shard));
      }
      servers.add(new ServerRanges(entry.getServer(), ranges, groupOf(entry)));
    }
    return new Configuration(response.getConfigNum(), servers);
  }

  /**
   * Reads the replica group an entry lists, if any.
   *
   * @throws IllegalArgumentException if it is not a valid group
   */
  public static Optional<ReplicaSet> groupOf(ConfigEntry entry) {
    return group(entry.getGroup(), entry.getReplicasList());
  }

  /**
   * Reads the replica group a Join names, if any.
   *
   * @throws IllegalArgumentException if it is not a valid group
   */
  public static Optional<ReplicaSet> groupOf(JoinRequest request) {
    return group(request.getGroup(), request.getReplicasList());
  }

  private static Optional<ReplicaSet> group(String name, List<String> replicas) {
    if (name.isEmpty()) {
      if (!replicas.isEmpty()) {
        throw new IllegalArgumentException("replicas " + replicas + " are listed without a group name");
      }
      return Optional.empty();
    }
    return Optional.of(new ReplicaSet(name, replicas.stream().map(String::strip).toList()));
  }
}
