package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.client.ConfigurationSource;
import com.bacefook.store.client.Reply;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.ReplicaStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.replication.RaftPeers;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.rpc.RequestIds.RequestId;
import com.bacefook.store.rpc.RequestIds;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.google.common.net.HostAndPort;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.ratis.util.TimeDuration;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shardmaster and a replica group of three real members (Raft over Netty on free local ports,
 * client calls in-process): writes survive the loss of the leader, retried requests apply once,
 * followers name the leader, and a member restarted with an empty data directory catches up.
 */
class ReplicaGroupTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> IDS = List.of("a", "b", "c");

  @TempDir Path dir;

  private final String prefix = InProcessServerBuilder.generateName() + "-";
  private final FakeShardmaster shardmaster = FakeShardmaster.numbered(prefix + "shardmaster");
  private final ChannelPool channels = new ChannelPool(InProcessCluster.IN_PROCESS);
  private final Map<String, ShardkvServer> members = new LinkedHashMap<>();
  /** Servers on their own, not in the group. */
  private final List<ShardkvServer> others = new ArrayList<>();
  private final RaftPeers peers = peers(IDS);
  /** The members of a second group, g2, in the tests that have one. */
  private final Map<String, ShardkvServer> secondGroup = new LinkedHashMap<>();

  private static RaftPeers peers(List<String> ids) {
    List<RaftPeers.Member> members = new ArrayList<>();
    for (String id : ids) {
      members.add(new RaftPeers.Member(id, HostAndPort.fromParts("127.0.0.1", freePort())));
    }
    return new RaftPeers(members);
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

  @AfterEach
  void stop() {
    members.values().forEach(ShardkvServer::close);
    secondGroup.values().forEach(ShardkvServer::close);
    others.forEach(ShardkvServer::close);
    channels.close();
    shardmaster.close();
  }

  private String address(String id) {
    return prefix + id;
  }

  private ShardkvServer start(String id, Path dataDir) {
    return start("g1", peers, id, dataDir, members);
  }

  /** How the tests' members run: small snapshots and segments, elections after 0.5 to 1 s. */
  private static final GroupMember.Options MEMBER =
      GroupMember.Options.DEFAULT
          .withSnapshotEvery(50)
          .withLogSegmentBytes(16 * 1024)
          .withElectionTimeout(TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));

  /** Starts member {@code id} of group {@code name} on {@code dataDir}, noted in {@code into}. */
  private ShardkvServer start(
      String name, RaftPeers groupPeers, String id, Path dataDir, Map<String, ShardkvServer> into) {
    return start(name, groupPeers, id, dataDir, into, MEMBER, ShardkvServer.Options.DEFAULT);
  }

  /**
   * As above, the Raft member running with {@code member}, the server with {@code server} (its
   * heartbeat, data directory and group set here).
   */
  private ShardkvServer start(
      String name,
      RaftPeers groupPeers,
      String id,
      Path dataDir,
      Map<String, ShardkvServer> into,
      GroupMember.Options member,
      ShardkvServer.Options server) {
    GroupSettings group = new GroupSettings(name, groupPeers, id, true, member);
    ShardkvServer started =
        new ShardkvServer(
            InProcessServerBuilder.forName(address(id)),
            address(id),
            shardmaster.address(),
            server.withHeartbeat(Duration.ofMillis(20)).withDataDir(dataDir).withGroup(group),
            InProcessCluster.IN_PROCESS);
    try {
      started.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    into.put(id, started);
    return started;
  }

  private ShardkvGrpc.ShardkvBlockingStub stub(String id) {
    return ShardkvGrpc.newBlockingStub(channels.channel(address(id)))
        .withDeadlineAfter(15, TimeUnit.SECONDS);
  }

  private void put(String id, String key, String value) {
    stub(id).put(PutRequest.newBuilder().setKey(key).setData(value).build());
  }

  /** Puts on whichever member leads (a Put is idempotent: it may be tried again). */
  private void putOnLeader(String key, String value) {
    onLeader(id -> put(id, key, value));
  }

  /**
   * Makes {@code call} on whichever member leads, trying again while leadership moves, as a routing
   * client does; returns the ID of the member that answered.
   */
  private String onLeader(Consumer<String> call) {
    String[] leader = new String[1];
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              for (String id : members.keySet()) {
                try {
                  call.accept(id);
                  leader[0] = id;
                  return true;
                } catch (StatusRuntimeException e) {
                  // Not the leader, or no leader yet: try the next member.
                }
              }
              return false;
            });
    return leader[0];
  }

  private Optional<String> get(String id, String key) {
    try {
      return Optional.of(stub(id).get(GetRequest.newBuilder().setKey(key).build()).getData());
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  /** Waits until one of the running members serves reads (after the group joined); returns its ID. */
  private String awaitLeader() {
    return onLeader(id -> stub(id).get(GetRequest.newBuilder().setKey("user_0").build()));
  }

  private void startAll() {
    for (String id : IDS) {
      start(id, dir.resolve(id));
    }
    await().atMost(WAIT).until(() -> shardmaster.latest().number() >= 1);
    assertThat(shardmaster.latest().serverNames()).hasSize(1);
    String joined = shardmaster.latest().serverNames().get(0);
    assertThat(IDS.stream().map(this::address)).contains(joined);
    putOnLeader("user_0", "zero");
  }

  @Test
  void acknowledgedWritesSurviveTheLeadersLoss() {
    startAll();
    for (int i = 1; i <= 20; i++) {
      putOnLeader("user_" + i, "v" + i);
    }
    String leader = awaitLeader();
    members.remove(leader).close();

    long stopped = System.nanoTime();
    String next = awaitLeader();
    long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);

    assertThat(next).isNotEqualTo(leader);
    assertThat(members).hasSize(2);
    for (int i = 1; i <= 20; i++) {
      assertThat(get(next, "user_" + i)).as("user_" + i).contains("v" + i);
    }
    assertThat(failoverMs).as("failover took %d ms", failoverMs).isLessThan(10_000);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(shardmaster.latest().serverNames()).containsExactly(address(next)));
    StoreClient client = routingClient();
    assertThat(client.get("user_3").value()).isEqualTo("v3");
    client.append("user_3", "!");
    assertThat(client.get("user_3")).isEqualTo(new Reply<>(address(next), "v3!"));
    System.out.println("ReplicaGroupTest: a new leader served reads " + failoverMs + " ms after the old one stopped");
  }

  @Test
  void theConfigurationListsTheGroupUnderItsLeaderWithItsReplicasAndFollowsALeaderChange() {
    startAll();
    ReplicaSet everyMember = new ReplicaSet("g1", IDS.stream().map(this::address).toList());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(shardmaster.latest().servers().get(0).group()).contains(everyMember));
    String leader = awaitLeader();
    assertThat(shardmaster.latest().serverNames()).containsExactly(address(leader));
    for (int i = 1; i <= 10; i++) {
      putOnLeader("user_" + i, "v" + i);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ServerStatus status = stub(leader).status(Empty.getDefaultInstance());
              assertThat(status.getGroup()).isEqualTo("g1");
              assertThat(status.getRaftId()).isEqualTo(leader);
              assertThat(status.getRole()).isEqualTo("leader");
              assertThat(status.getLeader()).isEqualTo(address(leader));
              assertThat(status.getReplicasList())
                  .extracting(ReplicaStatus::getAddress, ReplicaStatus::getHealthy, ReplicaStatus::getLag)
                  .containsExactly(
                      IDS.stream().map(id -> tuple(address(id), true, 0L)).toArray(Tuple[]::new));
              assertThat(status.getReplicasList())
                  .filteredOn(r -> r.getRole().equals("leader"))
                  .extracting(ReplicaStatus::getRaftId)
                  .containsExactly(leader);
            });
    String follower = IDS.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    ServerStatus fromFollower = stub(follower).status(Empty.getDefaultInstance());
    assertThat(fromFollower.getRole()).isEqualTo("follower");
    assertThat(fromFollower.getLeader()).isEqualTo(address(leader));

    members.remove(leader).close();
    String next = awaitLeader();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(shardmaster.latest().serverNames()).containsExactly(address(next));
              assertThat(shardmaster.latest().servers().get(0).group()).contains(everyMember);
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(stub(next).status(Empty.getDefaultInstance()).getReplicasList())
                    .filteredOn(r -> r.getRaftId().equals(leader))
                    .extracting(ReplicaStatus::getHealthy, ReplicaStatus::getRole)
                    .containsExactly(tuple(false, "follower")));
  }

  @Test
  void aFollowerRefusesNamingTheLeader() {
    startAll();
    String leader = awaitLeader();
    String follower = otherThan(leader);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> put(follower, "user_1", "x"))
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                          assertThat(e.getStatus().getCode())
                              .isEqualTo(Status.Code.FAILED_PRECONDITION);
                          assertThat(Refusals.isRefusal(e)).isTrue();
                          assertThat(Refusals.ownerHint(e))
                              .hasValueSatisfying(
                                  owner ->
                                      assertThat(owner)
                                          .isIn(address(leader), address(otherThan(leader, follower))));
                        }));
    assertThat(get(leader, "user_1")).isEmpty();
  }

  @Test
  void aClientFindsTheNewLeaderThroughTheOtherMembersWhileItsConfigurationNamesTheOldOne()
      throws Exception {
    startAll();
    putOnLeader("user_7", "seven");
    String leader = awaitLeader();
    await()
        .atMost(WAIT)
        .until(
            () ->
                shardmaster.latest().serverNames().equals(List.of(address(leader)))
                    && shardmaster.latest().servers().get(0).group().isPresent());
    // A configuration source that never learns of the next leader: the client can only find it
    // by asking the group's other members, which name it once elected.
    Configuration naming = shardmaster.latest();
    ConfigurationSource frozen =
        new ConfigurationSource() {
          @Override
          public Configuration current() {
            return naming;
          }

          @Override
          public Configuration refresh() {
            return naming;
          }
        };
    StoreClient client = new StoreClient(frozen, channels, WAIT, Duration.ofSeconds(5));

    members.remove(leader).close();

    Reply<String> read = client.get("user_7");
    assertThat(read.value()).isEqualTo("seven");
    assertThat(read.server()).isNotEqualTo(address(leader)).isIn(naming.servers().get(0).group().orElseThrow().replicas());
    assertThat(client.getAsync("user_7").get(WAIT.toSeconds(), TimeUnit.SECONDS).value())
        .isEqualTo("seven");
  }

  /** A client that routes by the shardmaster's configuration, as applications do. */
  private StoreClient routingClient() {
    return new StoreClient(
        new ShardmasterConfigurationSource(
            new ShardmasterClient(channels.channel(shardmaster.address()))),
        channels,
        WAIT,
        Duration.ofSeconds(15));
  }

  /** Stops the two members other than {@code leader}: it no longer hears from a majority. */
  private void stopBothFollowersOf(String leader) {
    members.remove(otherThan(leader)).close();
    members.remove(otherThan(leader, otherThan(leader))).close();
  }

  private static String otherThan(String... ids) {
    return IDS.stream().filter(id -> !List.of(ids).contains(id)).findFirst().orElseThrow();
  }

  @Test
  void aRetriedAppendIsAppliedOnce() {
    startAll();
    AppendRequest append = AppendRequest.newBuilder().setKey("user_5").setData("x").build();

    onLeader(id -> RequestIds.mark(stub(id), new RequestId("client-1", 7, 7)).append(append));
    onLeader(id -> RequestIds.mark(stub(id), new RequestId("client-1", 7, 7)).append(append));
    onLeader(id -> RequestIds.mark(stub(id), new RequestId("client-1", 8, 8)).append(append));

    assertThat(get(awaitLeader(), "user_5")).contains("xx");
  }

  /** Starts a server of its own, not in any group, named "single". */
  private ShardkvServer startSingle() throws IOException {
    ShardkvServer single =
        new ShardkvServer(
                InProcessServerBuilder.forName(address("single")),
                address("single"),
                shardmaster.address(),
                ShardkvServer.Options.DEFAULT.withHeartbeat(Duration.ofMillis(20)),
                InProcessCluster.IN_PROCESS)
            .start();
    others.add(single);
    return single;
  }

  @Test
  void aGroupHandsARangeToAServerAndGetsItBackOnEveryMember() throws IOException {
    startAll();
    for (int i = 1; i <= 30; i++) {
      putOnLeader("user_" + i, "v" + i);
    }
    String leader = awaitLeader();
    ShardkvServer single = startSingle();
    ShardRange moving = new ShardRange(0, 15);
    List<String> movingKeys =
        IntStream.rangeClosed(1, 30)
            .mapToObj(i -> "user_" + i)
            .filter(key -> moving.contains(KeyId.of(key)))
            .toList();
    assertThat(movingKeys).isNotEmpty();

    shardmaster.publish(
        address(leader), List.of(new ShardRange(16, 1000)), address("single"), List.of(moving));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (String key : movingKeys) {
                assertThat(single.holds(key)).as(key).isTrue();
                for (ShardkvServer member : members.values()) {
                  assertThat(member.holds(key)).as(key + " left on a member").isFalse();
                }
              }
            });
    assertThat(
            ShardkvGrpc.newBlockingStub(channels.channel(address("single")))
                .get(GetRequest.newBuilder().setKey(movingKeys.get(0)).build())
                .getData())
        .startsWith("v");
    String stillServing =
        onLeader(id -> stub(id).get(GetRequest.newBuilder().setKey("user_30").build()));
    assertThat(get(stillServing, "user_30")).contains("v30");

    ShardkvGrpc.newBlockingStub(channels.channel(address("single")))
        .put(PutRequest.newBuilder().setKey(movingKeys.get(0)).setData("changed").build());
    String listed = shardmaster.latest().serverNames().get(0);
    shardmaster.publish(listed, List.of(ShardRange.ALL), address("single"), List.of());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (String key : movingKeys) {
                assertThat(single.holds(key)).as(key + " left on the single server").isFalse();
                for (ShardkvServer member : members.values()) {
                  assertThat(member.holds(key)).as(key + " back on every member").isTrue();
                }
              }
            });
    String leaderNow =
        onLeader(id -> stub(id).get(GetRequest.newBuilder().setKey(movingKeys.get(0)).build()));
    assertThat(get(leaderNow, movingKeys.get(0))).contains("changed");
  }

  /** The largest log entry of the groups that {@link #movingKeysIntoASmallEntryGroup} starts. */
  private static final long SMALL_ENTRY = 64 * 1024;

  /**
   * Puts {@code count} (at most 1,000) keys of about 1 KB each on a server of its own that owns every ID, starts g1
   * (members a, b, c) with log entries of at most {@link #SMALL_ENTRY}, and moves every ID to it;
   * returns the keys and their values and the single server.
   */
  private Map.Entry<Map<String, String>, ShardkvServer> movingKeysIntoASmallEntryGroup(int count)
      throws IOException {
    ShardkvServer single = startSingle();
    shardmaster.publish(address("single"), List.of(ShardRange.ALL));
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 1; i <= count; i++) {
      values.put("user_" + i, i + ":" + "x".repeat(1_000));
    }
    ShardkvGrpc.ShardkvBlockingStub toSingle =
        ShardkvGrpc.newBlockingStub(channels.channel(address("single")));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> toSingle.put(PutRequest.newBuilder().setKey("user_1").setData("first").build()) != null);
    values.forEach((key, value) -> toSingle.put(PutRequest.newBuilder().setKey(key).setData(value).build()));
    assertThat(values.values().stream().mapToLong(String::length).sum()).isGreaterThan(4 * SMALL_ENTRY);
    for (String id : IDS) {
      start(
          "g1",
          peers,
          id,
          dir.resolve(id),
          members,
          MEMBER.withMaxEntryBytes(SMALL_ENTRY),
          // Long enough that a leader change midway never lets the wait time out on a loaded machine.
          ShardkvServer.Options.DEFAULT.withHandoffTimeout(Duration.ofSeconds(60)));
    }
    await().atMost(WAIT).until(() -> shardmaster.latest().serverNames().size() == 2);

    // Under the name listed now (a group re-lists itself under each new leader).
    shardmaster.publish(address("single"), List.of(), listedName("g1"), List.of(ShardRange.ALL));
    return Map.entry(values, single);
  }

  /**
   * Waits until every key in {@code values} is on every member still running and none on {@code
   * single}, then reads each back through a routing client.
   */
  private void awaitEveryKeyOnEveryMember(Map<String, String> values, ShardkvServer single) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(single.keyCount()).as("left on the single server").isZero();
              for (ShardkvServer member : members.values()) {
                assertThat(member.keyCount()).as("keys on " + member.name()).isEqualTo(values.size());
              }
            });
    StoreClient client = routingClient();
    values.forEach((key, value) -> assertThat(client.get(key).value()).as(key).isEqualTo(value));
  }

  /**
   * A range holding about 300 KB moves from a single server into a group whose log entries hold at
   * most 64 KiB: the group installs it in several entries, and every key arrives with its value on
   * every member.
   */
  @Test
  void aHandoffLargerThanALogEntryIsInstalledInSeveralEntries() throws IOException {
    Map.Entry<Map<String, String>, ShardkvServer> moving = movingKeysIntoASmallEntryGroup(300);

    awaitEveryKeyOnEveryMember(moving.getKey(), moving.getValue());
  }

  /**
   * As above with about 1 MB (some 16 entries), and the receiving group's leader stops once it has
   * every key staged, about to install them or installing them: the sender sends them all again to
   * the next leader, which installs them over whatever was staged before.
   */
  @Test
  void aLargeHandoffFinishesWhenTheReceivingLeaderStopsBeforeOrDuringItsInstall() throws IOException {
    Map.Entry<Map<String, String>, ShardkvServer> moving = movingKeysIntoASmallEntryGroup(1_000);
    Optional<String> staging =
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(5))
            .until(
                () ->
                    members.entrySet().stream()
                        .filter(
                            member ->
                                member.getValue().status().getRangesList().stream()
                                    .anyMatch(range -> range.getKeysDone() == 1_000))
                        .map(Map.Entry::getKey)
                        .findFirst(),
                Optional::isPresent);

    members.remove(staging.orElseThrow()).close();

    awaitEveryKeyOnEveryMember(moving.getKey(), moving.getValue());
  }

  @Test
  void aWholeGroupRestartedOnItsDataDirectoriesKeepsEveryAcknowledgedWrite() {
    startAll();
    for (int i = 1; i <= 120; i++) {
      putOnLeader("user_" + i, "v" + i);
    }
    onLeader(id -> RequestIds.mark(stub(id), new RequestId("client-1", 1, 1))
        .append(AppendRequest.newBuilder().setKey("user_1").setData("+").build()));
    List.copyOf(members.keySet()).forEach(id -> members.remove(id).close());

    for (String id : IDS) {
      start(id, dir.resolve(id));
    }
    String leader = awaitLeader();
    onLeader(id -> RequestIds.mark(stub(id), new RequestId("client-1", 1, 1))
        .append(AppendRequest.newBuilder().setKey("user_1").setData("+").build()));

    for (int i = 2; i <= 120; i++) {
      assertThat(get(leader, "user_" + i)).as("user_" + i).contains("v" + i);
    }
    assertThat(get(leader, "user_1")).as("the retried append applied once").contains("v1+");
    // Leadership may change more than once after a restart; each new leader re-lists the group in
    // place, but the group joins only once and is listed once.
    assertThat(shardmaster.newJoins()).as("joined once").isEqualTo(1);
    assertThat(shardmaster.latest().serverNames()).as("the group listed once").hasSize(1);
  }

  @Test
  void aRangeMovesFromGroupToGroup() {
    startAll();
    usersOneToThirtyAndASecondGroup();
    assertThat(List.of("d", "e", "f").stream().map(this::address)).contains(listedName("g2"));

    moveUsersZeroToFifteenToTheSecondGroup();

    awaitUsersOneToFifteenMovedToTheSecondGroup();
  }

  /**
   * Returns the address the latest configuration lists group {@code group} under (its leader's when
   * it was listed: a new leader re-lists it under its own).
   */
  private String listedName(String group) {
    return shardmaster.latest().servers().stream()
        .filter(e -> e.group().map(g -> g.name().equals(group)).orElse(false))
        .map(ServerRanges::server)
        .findFirst()
        .orElseThrow(() -> new AssertionError(group + " is not listed: " + shardmaster.latest()));
  }

  /**
   * Publishes the move of [0,15] from g1 to g2 under the names the latest configuration lists them
   * by (a name read earlier may be stale: a group re-lists itself when its leader changes).
   */
  private void moveUsersZeroToFifteenToTheSecondGroup() {
    shardmaster.publish(
        listedName("g1"), List.of(new ShardRange(16, 1000)),
        listedName("g2"), List.of(new ShardRange(0, 15)));
  }

  /** Puts user_1..30 into g1, then starts g2 (members d, e, f) and waits until it joined. */
  private RaftPeers usersOneToThirtyAndASecondGroup() {
    for (int i = 1; i <= 30; i++) {
      putOnLeader("user_" + i, "v" + i);
    }
    RaftPeers secondPeers = peers(List.of("d", "e", "f"));
    for (String id : List.of("d", "e", "f")) {
      start("g2", secondPeers, id, dir.resolve(id), secondGroup);
    }
    await().atMost(WAIT).until(() -> shardmaster.latest().serverNames().size() == 2);
    return secondPeers;
  }

  /** Waits until user_1..15 are on every g2 member and on no g1 member, and reads some back. */
  private void awaitUsersOneToFifteenMovedToTheSecondGroup() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (int i = 1; i <= 15; i++) {
                for (ShardkvServer member : secondGroup.values()) {
                  assertThat(member.holds("user_" + i)).as("user_" + i + " on every g2 member").isTrue();
                }
                for (ShardkvServer member : members.values()) {
                  assertThat(member.holds("user_" + i)).as("user_" + i + " left in g1").isFalse();
                }
              }
            });
    StoreClient client = routingClient();
    assertThat(client.get("user_7").value()).isEqualTo("v7");
    assertThat(client.get("user_30").value()).isEqualTo("v30");
  }

  /**
   * A range moves from g1 to g2 while both change leader: g2 is down when the move is published, so
   * g1's leader cannot finish; it is stopped, and g1's next leader (another address) sends the keys
   * to g2, back with whichever leader it elects. The receiver knows the sender by its group, the
   * sender finds the receiving group's leader, and no key is lost.
   */
  @Test
  void aHandoffFinishesWhenBothGroupsChangeLeaderMidway() {
    startAll();
    RaftPeers secondPeers = usersOneToThirtyAndASecondGroup();
    List.copyOf(secondGroup.keySet()).forEach(id -> secondGroup.remove(id).close());
    String firstLeader = awaitLeader();

    // Under the names listed now: g2 may have re-listed itself under a new leader before it stopped.
    moveUsersZeroToFifteenToTheSecondGroup();
    await().atMost(WAIT).until(() -> members.get(firstLeader).handoffInProgress());
    members.remove(firstLeader).close();
    // g1's next leader re-lists it under its own address.
    await()
        .atMost(WAIT)
        .until(
            () ->
                !listedName("g1").equals(address(firstLeader))
                    && shardmaster.latest().serverNames().size() == 2);
    for (String id : List.of("d", "e", "f")) {
      start("g2", secondPeers, id, dir.resolve(id), secondGroup);
    }

    awaitUsersOneToFifteenMovedToTheSecondGroup();
  }

  @Test
  void everyReadOnTheLeaderWaitsForAReadIndex() {
    startAll();
    awaitLeader();
    long before = readIndexesTaken();

    for (int i = 0; i < 5; i++) {
      onLeader(id -> assertThat(stub(id).get(GetRequest.newBuilder().setKey("user_0").build()).getData()).isEqualTo("zero"));
    }

    assertThat(readIndexesTaken()).as("read indexes taken by five reads, one after another").isGreaterThanOrEqualTo(before + 5);
  }

  private long readIndexesTaken() {
    return members.values().stream().mapToLong(ShardkvServer::readIndexesTaken).sum();
  }

  @Test
  void aGroupWithoutAMajorityRefusesWritesSayingHowManyMembersItSees() {
    startAll();
    String leader = awaitLeader();
    stopBothFollowersOf(leader);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> put(leader, "user_1", "lost"))
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                          assertThat(e.getStatus().getDescription()).contains("sees 1 of 3 members");
                          assertThat(Refusals.isRefusal(e)).as("refused, so not applied").isTrue();
                        }));
  }

  @Test
  void aLeaderWithoutAMajorityEndsUpRefusingReads() {
    startAll();
    String leader = awaitLeader();
    put(leader, "user_1", "kept");
    assertThat(get(leader, "user_1")).contains("kept");
    stopBothFollowersOf(leader);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () -> stub(leader).get(GetRequest.newBuilder().setKey("user_1").build()))
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                            assertThat(e.getStatus().getCode())
                                .as("refused: %s", e.getStatus())
                                .isIn(Status.Code.UNAVAILABLE, Status.Code.FAILED_PRECONDITION)));
  }

  @Test
  void aMemberRestartedEmptyCatchesUpFromASnapshot() throws IOException {
    startAll();
    String leader = awaitLeader();
    String follower = otherThan(leader);
    members.remove(follower).close();
    String value = "v".repeat(1000);
    for (int i = 1; i <= 200; i++) {
      putOnLeader("user_" + i, value + i);
    }

    Path empty = dir.resolve(follower + "-empty");
    ShardkvServer restarted = start(follower, empty);

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(restarted.keyCount()).isEqualTo(201));
    assertThat(restarted.holds("user_200")).isTrue();
    try (Stream<Path> files = Files.walk(empty)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("a snapshot installed from the leader")
          .anyMatch(name -> name.startsWith("snapshot."));
    }
  }
}
