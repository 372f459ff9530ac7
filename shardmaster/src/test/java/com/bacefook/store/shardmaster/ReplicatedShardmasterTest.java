package com.bacefook.store.shardmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.metrics.MetricsEndpoint;
import com.bacefook.store.replication.RaftPeers;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.security.Security;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ShardRange;
import com.google.common.net.HostAndPort;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three shardmaster members on Ratis, on free loopback ports, and a client given all three. */
class ReplicatedShardmasterTest {
  private static final int SNAPSHOT_EVERY = 5;

  @TempDir Path dir;

  private final ChannelPool channels = new ChannelPool();
  private final Map<String, Integer> clientPorts = new TreeMap<>();
  private final Map<String, ShardmasterServer> members = new TreeMap<>();
  private RaftPeers peers;
  private ShardmasterClient client;

  @BeforeEach
  void startThreeMembers() throws IOException {
    List<RaftPeers.Member> raft = new ArrayList<>();
    for (String id : List.of("s1", "s2", "s3")) {
      raft.add(new RaftPeers.Member(id, HostAndPort.fromParts("127.0.0.1", freePort())));
      clientPorts.put(id, freePort());
    }
    peers = new RaftPeers(raft);
    for (String id : clientPorts.keySet()) {
      start(id);
    }
    client =
        new ShardmasterClient(
            ShardmasterAddresses.parse(
                String.join(",", clientPorts.keySet().stream().map(this::address).toList())),
            channels::channel,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    members.values().forEach(ShardmasterServer::close);
    channels.close();
  }

  private void start(String id) throws IOException {
    ShardmasterServer member =
        ShardmasterServer.replicated(
            Grpc.newServerBuilderForPort(clientPorts.get(id), InsecureServerCredentials.create()),
            new ReplicationSettings(
                peers,
                id,
                address(id),
                ShardmasterGroup.MEMBER_DEFAULTS
                    .withSnapshotEvery(SNAPSHOT_EVERY)
                    .withLogSegmentBytes(4096)),
            dir.resolve(id),
            MetricsEndpoint.disabled(),
            Security.NONE);
    members.put(id, member.start());
  }

  private String address(String id) {
    return "127.0.0.1:" + clientPorts.get(id);
  }

  /** Asks member {@code id} alone for the configuration. */
  private Configuration queryAt(String id) {
    return new ShardmasterClient(
            channels.channel(address(id)), Duration.ofSeconds(3), Duration.ofSeconds(3))
        .query();
  }

  /** Waits until one member answers a query itself, and returns its ID. */
  private String leader() {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                members.keySet().stream()
                    .filter(
                        id -> {
                          try {
                            queryAt(id);
                            return true;
                          } catch (StatusRuntimeException e) {
                            return false;
                          }
                        })
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void joinsMovesAndQueriesGoThroughAnyMemberOfTheList() {
    client.join("10.0.0.1:7000");
    client.join("10.0.0.2:7000");
    client.move("10.0.0.2:7000", new ShardRange(0, 99));

    Configuration latest = client.query();
    assertThat(latest.serverNames()).containsExactly("10.0.0.1:7000", "10.0.0.2:7000");
    assertThat(latest.ownerOf(50)).contains("10.0.0.2:7000");
    assertThat(client.query(1).serverNames()).containsExactly("10.0.0.1:7000");
    // Every member applied the same changes.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                members.values().forEach(m -> assertThat(m.history().latest()).isEqualTo(latest)));
  }

  @Test
  void aFollowerRefusesNamingTheLeadersClientAddress() {
    client.join("10.0.0.1:7000");
    String leader = leader();
    String follower = members.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> queryAt(follower))
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                          assertThat(e.getStatus().getCode())
                              .isEqualTo(Status.Code.FAILED_PRECONDITION);
                          assertThat(Refusals.ownerHint(e)).contains(address(leader));
                        }));
  }

  @Test
  void closingTheLeaderElectsANewOneThatKeepsEveryAcknowledgedChange() {
    client.join("10.0.0.1:7000");
    client.join("10.0.0.2:7000");
    String leader = leader();

    members.remove(leader).close();
    long closed = System.nanoTime();
    Configuration after = client.query();
    client.join("10.0.0.3:7000");
    Duration failover = Duration.ofNanos(System.nanoTime() - closed);

    assertThat(after.serverNames()).containsExactly("10.0.0.1:7000", "10.0.0.2:7000");
    assertThat(client.query().serverNames())
        .containsExactly("10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7000");
    assertThat(failover).isLessThan(Duration.ofSeconds(8));
    System.out.printf(
        "replicated shardmaster (in-process): a new leader answered a query and committed a join %d ms"
            + " after the leader closed%n",
        failover.toMillis());
  }

  @Test
  void aMemberRestartedWithAnEmptyDataDirectoryCatchesUp() throws IOException {
    String leader = leader();
    String follower = members.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    members.remove(follower).close();
    wipe(dir.resolve(follower));
    // Enough changes for snapshots, so the log the member missed is partly gone.
    for (int i = 1; i <= 3 * SNAPSHOT_EVERY; i++) {
      client.join("10.0.0." + i + ":7000");
    }
    Configuration latest = client.query();

    start(follower);

    // The leader's next append or heartbeat reconnects to it and sends the snapshot: seconds, more on
    // a loaded machine.
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(members.get(follower).history().latest()).isEqualTo(latest));
    assertThat(members.get(follower).history().get(1)).isPresent();
  }

  @Test
  void aMemberThatLostItsMajorityAcknowledgesNoChange() {
    client.join("10.0.0.1:7000");
    String survivor = leader();
    List<String> others = members.keySet().stream().filter(id -> !id.equals(survivor)).toList();
    others.forEach(id -> members.remove(id).close());
    ShardmasterClient alone =
        new ShardmasterClient(
            channels.channel(address(survivor)), Duration.ofSeconds(2), Duration.ofSeconds(2));

    // Once the leader notices, it refuses at once, saying what it sees.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> alone.join("10.0.0.9:7000"))
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                          assertThat(e.getStatus().getDescription()).contains("sees 1 of 3");
                        }));
    assertThatThrownBy(alone::query)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(members.get(survivor).history().latest().serverNames())
        .containsExactly("10.0.0.1:7000");
  }

  private static void wipe(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Ports handed out by {@link #freePort}: the system may offer a closed probe's port again. */
  private static final Set<Integer> PORTS_GIVEN = ConcurrentHashMap.newKeySet();

  /** Returns a port free on loopback a moment ago, never one it returned before. */
  private static int freePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (PORTS_GIVEN.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
