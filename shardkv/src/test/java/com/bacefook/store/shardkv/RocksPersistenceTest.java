package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksPersistenceTest {
  @TempDir Path dir;

  @Test
  void concurrentWritersShareWalSyncsAndEveryAcknowledgedWriteIsLoadedAgain() throws Exception {
    int writes = 200;
    try (RocksPersistence persistence = RocksPersistence.open(dir)) {
      List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
      for (int i = 0; i < writes; i++) {
        persistence.apply(new Changes().key("k_" + i, new StoredValue("v" + i, null)), false);
        acknowledged.add(persistence.synced().toCompletableFuture());
      }
      CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(persistence.walSyncs()).isBetween(1L, writes - 1L);
    }
    try (RocksPersistence reopened = RocksPersistence.open(dir)) {
      assertThat(reopened.load().keys()).hasSize(writes);
    }
  }

  @Test
  void refusesToWaitForSyncsOnceClosed() {
    RocksPersistence persistence = RocksPersistence.open(dir);
    persistence.close();
    assertThatThrownBy(persistence::synced).isInstanceOf(IllegalStateException.class);
  }
}
