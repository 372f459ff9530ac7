package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConfigCacheTest {
  private final ChannelPool channels = new ChannelPool(InProcessCluster.IN_PROCESS);
  private FakeShardmaster shardmaster;

  @AfterEach
  void stop() {
    channels.close();
    shardmaster.close();
  }

  @Test
  void fetchesPastConfigurationsByNumber() {
    shardmaster = FakeShardmaster.numbered(InProcessServerBuilder.generateName());
    Configuration first = shardmaster.publish("a", List.of(ShardRange.ALL));
    shardmaster.publish("a", List.of(new ShardRange(0, 9)), "b", List.of(new ShardRange(10, 1000)));
    ConfigCache configs = cache();

    assertThat(configs.latest().number()).isEqualTo(2);
    assertThat(configs.get(1)).isEqualTo(first);
    assertThat(configs.get(0)).isEqualTo(Configuration.EMPTY);
    assertThatThrownBy(() -> configs.get(3))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
  }

  @Test
  void numbersEachDistinctAnswerOfAQueryOnlyShardmaster() {
    shardmaster = FakeShardmaster.queryOnly(InProcessServerBuilder.generateName());
    ConfigCache configs = cache();

    try (CapturedLog log = new CapturedLog(ConfigCache.class)) {
      assertThat(configs.latest()).isEqualTo(Configuration.EMPTY);
      shardmaster.publish("a", List.of(ShardRange.ALL));
      Configuration one = configs.latest();
      assertThat(configs.latest()).isEqualTo(one);
      shardmaster.publish("a", List.of(new ShardRange(0, 9)), "b", List.of(new ShardRange(10, 1000)));
      Configuration two = configs.latest();

      assertThat(one.number()).isEqualTo(1);
      assertThat(one.rangesOf("a")).containsExactly(ShardRange.ALL);
      assertThat(two.number()).isEqualTo(2);
      assertThat(configs.get(1)).isEqualTo(one);
      assertThatThrownBy(() -> configs.get(3)).isInstanceOf(StatusRuntimeException.class);
      assertThat(log.at(Level.WARN)).singleElement().asString().contains("polling Query");
    }
  }

  private ConfigCache cache() {
    return new ConfigCache("a", new ShardmasterClient(channels.channel(shardmaster.address())));
  }
}
