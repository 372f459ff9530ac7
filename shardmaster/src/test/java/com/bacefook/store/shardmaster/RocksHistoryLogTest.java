package com.bacefook.store.shardmaster;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksHistoryLogTest {
  @TempDir Path dir;

  @Test
  void aReopenedHistoryKeepsEachGroupsNameReplicasAndLeader() {
    ReplicaSet group = new ReplicaSet("g1", List.of("h:1", "h:2", "h:3"));
    Configuration joined;
    Configuration replaced;
    try (RocksHistoryLog log = RocksHistoryLog.open(dir)) {
      ConfigurationHistory history = new ConfigurationHistory(log);
      history.join("h:1", Optional.of(group));
      joined = history.latest();
      history.join("solo:9", Optional.empty());
      history.replace("h:1", "h:3", Optional.empty());
      replaced = history.latest();
    }

    try (RocksHistoryLog log = RocksHistoryLog.open(dir)) {
      ConfigurationHistory history = new ConfigurationHistory(log);

      assertThat(history.get(1)).contains(joined);
      assertThat(history.latest()).isEqualTo(replaced);
      assertThat(history.latest().servers().get(0).server()).isEqualTo("h:3");
      assertThat(history.latest().servers().get(0).group()).contains(group);
    }
  }
}
