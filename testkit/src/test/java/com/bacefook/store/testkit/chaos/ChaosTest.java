package com.bacefook.store.testkit.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.history.Violation;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * No lost writes and no stale reads while shards move: 16 clients on a few hundred keys while the
 * configuration changes every ~200 ms, then the whole history must be linearizable. Runs for {@code
 * -Dchaos.seconds} (default 30) in every build; {@code ./test.sh --soak} makes it 5 minutes, and
 * {@code -Dgroups=chaos} runs it alone. A shorter run without the handoff protocol shows that the
 * checker catches what goes wrong.
 */
@Tag("chaos")
class ChaosTest {
  private static final int SERVERS = 4;

  private MiniCluster cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void historyUnderReconfigurationIsLinearizable() {
    ChaosReport report =
        run(ShardkvServer.Options.DEFAULT, Duration.ofSeconds(Integer.getInteger("chaos.seconds", 30)));

    assertThat(report.operations()).isPositive();
    assertThat(report.reconfigurations().total()).isPositive();
    assertThat(report.check().violations())
        .extracting(Violation::key)
        .as("keys whose history is not linearizable (the report above explains the first few)")
        .isEmpty();
    assertThat(report.check().undecidedKeys()).as("keys the checker could not decide").isEmpty();
  }

  @Test
  void naiveMigrationIsCaught() {
    ChaosReport report =
        run(ShardkvServer.Options.DEFAULT.withSafeHandoff(false), Duration.ofSeconds(5));

    assertThat(report.reconfigurations().total()).isPositive();
    assertThat(report.check().violations())
        .as("served at once and overwritten by handoffs, moved keys lose writes and serve stale reads")
        .isNotEmpty();
  }

  private ChaosReport run(ShardkvServer.Options options, Duration duration) {
    cluster = MiniCluster.start(options);
    for (int i = 0; i < SERVERS; i++) {
      cluster.startAndJoin();
    }
    ChaosReport report =
        ChaosRun.on(cluster)
            .duration(duration)
            .clients(16)
            .keys(300)
            .reconfigurationEvery(Duration.ofMillis(200))
            .seed(Long.getLong("chaos.seed", 1))
            .run();
    System.out.println(report.summary());
    return report;
  }
}
