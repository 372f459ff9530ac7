package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.testkit.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run-cluster.sh --replicas 3} as a user runs it, on free ports with its own run directory:
 * the shardmaster, itself three members, lists three groups of three, each under its leader with
 * every replica, and {@code --stop} ends everything the run started.
 */
class RunClusterReplicasTest {
  /** Thirteen JVMs start on a small machine. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path runDir;

  private static List<Integer> freePorts(int count) {
    return IntStream.range(0, count).mapToObj(i -> FreePorts.next()).toList();
  }

  private static String joined(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }

  @Test
  void replicasThreeListsThreeGroupsOfThreeUnderTheirLeaders() {
    List<Integer> shardmasterPorts = freePorts(3);
    int gatewayPort = FreePorts.next();
    List<Integer> kvPorts = freePorts(9);
    List<Integer> raftPorts = freePorts(9);
    Map<String, String> env =
        Map.of(
            "RUN_DIR", runDir.toString(),
            "SHARDMASTER_PORTS", joined(shardmasterPorts),
            "SHARDMASTER_RAFT_PORTS", joined(freePorts(3)),
            "SHARDKV_PORTS", joined(kvPorts),
            "RAFT_PORTS", joined(raftPorts),
            "GATEWAY_PORT", String.valueOf(gatewayPort));
    Path script = Jars.repoRoot().resolve("run-cluster.sh");
    JarProcess run =
        JarProcess.startScript(
            "run-cluster-replicas", script, List.of("--no-cli", "--replicas", "3"), env);
    List<ProcessHandle> started = new ArrayList<>();
    try (ChannelPool channels = new ChannelPool()) {
      run.awaitLine(line -> line.startsWith("Bacefook is up"), START_TIMEOUT);
      ProcessHandle.of(run.pid()).ifPresent(h -> h.descendants().forEach(started::add));
      assertThat(started).as("processes started by run-cluster.sh").hasSizeGreaterThanOrEqualTo(13);
      ShardmasterClient shardmaster =
          new ShardmasterClient(
              ShardmasterAddresses.parse(
                  shardmasterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","))),
              channels::channel);

      List<List<String>> expected = new ArrayList<>();
      for (int g = 0; g < 3; g++) {
        expected.add(
            kvPorts.subList(3 * g, 3 * g + 3).stream().map(p -> "127.0.0.1:" + p).toList());
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Configuration config = shardmaster.query();
                assertThat(config.servers())
                    .extracting(e -> e.group().orElseThrow())
                    .containsExactlyInAnyOrder(
                        new ReplicaSet("g1", expected.get(0)),
                        new ReplicaSet("g2", expected.get(1)),
                        new ReplicaSet("g3", expected.get(2)));
                for (ServerRanges entry : config.servers()) {
                  assertThat(entry.group().orElseThrow().replicas()).contains(entry.server());
                  assertThat(entry.ranges()).isNotEmpty();
                }
              });

      JarProcess stop = JarProcess.startScript("run-cluster-stop", script, List.of("--stop"), env);
      assertThat(stop.awaitExit(STOP_TIMEOUT)).as(stop.transcript()).isZero();
      assertThat(run.awaitExit(Duration.ofSeconds(30))).isEqualTo(130);
      assertThat(started).noneMatch(ProcessHandle::isAlive);
    } finally {
      run.stop(JarProcess.STOP_GRACE);
      started.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
