package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.testkit.ShardmasterLeader;
import com.bacefook.store.testkit.chaos.ChaosReport;
import com.bacefook.store.testkit.chaos.ChaosRun;
import com.bacefook.store.testkit.chaos.MemberControl;
import com.bacefook.store.testkit.chaos.MemberKill;
import com.bacefook.store.testkit.history.Operation;
import com.bacefook.store.testkit.history.Violation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos scenario with the real jars: two replica groups of three shardkv processes and a
 * shardmaster of three, 8 clients of reads, puts, appends and deletes, a member killed with SIGKILL
 * every 6 s (a group's leader, the shardmaster's leader, the other group's leader, then followers) and
 * started again 3 s later; the shardmaster's comes back on a wiped data directory. The history must be
 * linearizable: no acknowledged write lost, no append applied twice.
 */
@Tag("chaos")
class ReplicaChaosProcessTest {
  private static final List<String> GROUPS = List.of("g1", "g2");
  /** The replicated shardmaster's members, killed in turn among the groups' as if a third group. */
  private static final String SHARDMASTER = MemberControl.SHARDMASTER;
  private static final Duration READY = Duration.ofSeconds(90);
  /** A generous bound for a loaded 2-core machine running 7 JVMs; the target (3 s) is printed. */
  private static final Duration OUTAGE_BOUND = Duration.ofSeconds(20);

  @TempDir Path data;
  private ProcessCluster cluster;
  private ChannelPool channels;
  private List<String> shardmasterMembers;

  @BeforeEach
  void start(TestInfo test) {
    cluster = ProcessCluster.forTest(test, data);
    shardmasterMembers = List.of(cluster.startReplicatedShardmaster(3).split(","));
    channels = new ChannelPool();
  }

  @AfterEach
  void stop() {
    channels.close();
    cluster.close();
  }

  @Test
  void historyWhileMembersAreKilledIsLinearizable() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String group : GROUPS) {
      groups.put(group, cluster.startGroup(group, 3));
    }
    ShardmasterClient shardmaster =
        new ShardmasterClient(
            ShardmasterAddresses.parse(cluster.shardmasterAddress()),
            channels::channel,
            Duration.ofSeconds(5),
            Duration.ofSeconds(60));
    groups.put(SHARDMASTER, shardmasterMembers);
    MemberControl members = new ProcessMembers(cluster, shardmaster, channels, groups);
    Awaitility.await()
        .atMost(READY)
        .ignoreExceptions()
        .until(() -> GROUPS.stream().allMatch(g -> members.listedMember(g).isPresent()));

    ChaosReport report =
        ChaosRun.onProcesses(
                shardmaster,
                (operation, rpc) ->
                    new StoreClient(new ShardmasterConfigurationSource(shardmaster), channels, operation, rpc),
                members)
            .duration(Duration.ofSeconds(Integer.getInteger("chaos.seconds", 40)))
            .clients(8)
            .keys(200)
            .memberKills(List.of("g1", SHARDMASTER, "g2"), Duration.ofSeconds(6), Duration.ofSeconds(3))
            .seed(Long.getLong("chaos.seed", 1))
            .run();
    System.out.println("real processes, " + report.summary());

    assertThat(report.kills()).filteredOn(MemberKill::wasLeader).as("leaders killed").isNotEmpty();
    assertThat(report.kills()).filteredOn(MemberKill::wiped).as("members wiped").hasSize(1);
    assertThat(report.kills()).extracting(MemberKill::group).as("shardmaster members killed").contains(SHARDMASTER);
    assertThat(report.operationsByKind()).containsKeys(Operation.Kind.APPEND, Operation.Kind.PUT);
    assertThat(report.check().violations())
        .extracting(Violation::key)
        .as("keys whose history is not linearizable (the report above explains the first few)")
        .isEmpty();
    assertThat(report.check().undecidedKeys()).as("keys the checker could not decide").isEmpty();
    assertThat(report.longestOutage().length()).isLessThan(OUTAGE_BOUND);
  }

  /**
   * Kills members with SIGKILL and starts them again from their jars: shardkv group members, and the
   * shardmaster's (whose leader is the member that answers a query itself).
   */
  private record ProcessMembers(
      ProcessCluster cluster,
      ShardmasterClient shardmaster,
      ChannelPool channels,
      Map<String, List<String>> groups)
      implements MemberControl {
    @Override
    public List<String> members(String group) {
      return groups.get(group);
    }

    @Override
    public Optional<String> listedMember(String group) {
      if (group.equals(SHARDMASTER)) {
        return ShardmasterLeader.among(groups.get(SHARDMASTER), channels::channel);
      }
      List<String> listed = shardmaster.query().serverNames();
      return groups.get(group).stream().filter(listed::contains).findFirst();
    }

    @Override
    public void stop(String member) {
      if (groups.get(SHARDMASTER).contains(member)) {
        cluster.shardmasterMember(member).kill();
      } else {
        cluster.killShardkv(member);
      }
    }

    @Override
    public void start(String member, boolean wiped) {
      if (groups.get(SHARDMASTER).contains(member)) {
        cluster.restartShardmasterMember(member, wiped);
      } else {
        cluster.restartShardkv(member, wiped);
      }
    }
  }
}
