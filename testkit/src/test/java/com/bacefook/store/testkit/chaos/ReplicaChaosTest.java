package com.bacefook.store.testkit.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.history.Operation;
import com.bacefook.store.testkit.history.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No acknowledged write lost and no append applied twice while replica group members and shardmaster
 * members die: two groups of three and a replicated shardmaster of three, 8 clients of reads, puts,
 * appends and deletes, a member stopped every 6 s (a group's leader, the shardmaster's leader, the other
 * group's leader, then followers; the shardmaster's leader comes back with an empty data directory) and
 * started again 3 s later. The whole history must be linearizable, which an append applied twice or a
 * lost write would break.
 */
@Tag("chaos")
class ReplicaChaosTest {
  private static final List<String> GROUPS = List.of("g1", "g2");
  /** The groups whose members are stopped, in turn: the shardmaster's between the two replica groups. */
  private static final List<String> KILLED = List.of("g1", MemberControl.SHARDMASTER, "g2");
  /** The longest a range may go unanswered after a kill here; elections take 0.5–1 s on an idle host. */
  private static final Duration OUTAGE_BOUND = Duration.ofSeconds(8);

  @TempDir Path dataRoot;
  private MiniCluster cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void historyWhileMembersDieIsLinearizable() {
    GroupMember.Options member =
        GroupMember.Options.DEFAULT
            .withSnapshotEvery(200)
            .withElectionTimeout(TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
    // The shardmaster's log entries name a few servers: a small write buffer per member is enough.
    cluster = MiniCluster.startReplicated(dataRoot, member.withMaxEntryBytes(1024 * 1024));
    for (String group : GROUPS) {
      cluster.startGroup(group, 3, member);
    }
    for (String group : GROUPS) {
      cluster.awaitGroupListed(group, Duration.ofSeconds(30));
    }
    cluster.awaitConvergence();

    ChaosReport report =
        ChaosRun.on(cluster)
            .duration(Duration.ofSeconds(Integer.getInteger("chaos.seconds", 30)))
            .clients(8)
            .keys(200)
            .withoutReconfiguration()
            .memberKills(KILLED, Duration.ofSeconds(6), Duration.ofSeconds(3))
            .seed(Long.getLong("chaos.seed", 1))
            .run();
    System.out.println(report.summary());

    assertThat(report.kills()).as("members stopped").hasSizeGreaterThanOrEqualTo(3);
    assertThat(report.kills()).filteredOn(MemberKill::wasLeader).as("leaders stopped").isNotEmpty();
    assertThat(report.kills()).filteredOn(MemberKill::wiped).as("members wiped").hasSize(1);
    assertThat(report.kills())
        .filteredOn(kill -> kill.group().equals(MemberControl.SHARDMASTER) && kill.wasLeader())
        .as("shardmaster leaders stopped")
        .isNotEmpty();
    assertThat(report.operationsByKind()).containsKeys(
        Operation.Kind.APPEND,
        Operation.Kind.PUT);
    assertThat(report.check().violations())
        .extracting(Violation::key)
        .as("keys whose history is not linearizable (the report above explains the first few)")
        .isEmpty();
    assertThat(report.check().undecidedKeys()).as("keys the checker could not decide").isEmpty();
    assertThat(report.longestOutage().length())
        .as("the longest time one range's keys went unanswered")
        .isLessThan(OUTAGE_BOUND);
  }
}
