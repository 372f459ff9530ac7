package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.ServerReport;
import com.bacefook.store.proto.RangeStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.ReplicaStatuses;
import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void quotesAndEscapesValues() {
    assertThat(Formats.quote("Alice")).isEqualTo("\"Alice\"");
    assertThat(Formats.quote("")).isEqualTo("\"\"");
    assertThat(Formats.quote("say \"hi\"\\")).isEqualTo("\"say \\\"hi\\\"\\\\\"");
    assertThat(Formats.quote("a\nb\tc\u0001")).isEqualTo("\"a\\nb\\tc\\u0001\"");
  }

  @Test
  void showsALinePerRangeUnderItsServer() {
    ServerStatus status =
        ServerStatus.newBuilder()
            .setServer("127.0.0.1:9091")
            .setConfigNum(5)
            .setLatestConfigNum(5)
            .setKeys(12)
            .setHandoffsSending(1)
            .addRanges(range(0, 333, "serving", "", 0, 0))
            .addRanges(range(334, 500, "sending", "127.0.0.1:9092", 50, 20))
            .addRanges(range(501, 600, "waiting", "127.0.0.1:9093", 0, 7))
            .addRanges(range(601, 700, "waiting", "127.0.0.1:9093", 0, 0))
            .build();
    assertThat(
            Formats.statusTable(
                List.of(new ServerReport("127.0.0.1:9091", "SERVING", Optional.of(status)))))
        .containsExactly(
            "SERVER          HEALTH       CONFIG       KEYS  STORAGE    HANDOFFS",
            "127.0.0.1:9091  SERVING          #5         12  in-memory  sending 1",
            "  [0,333] serving",
            "  [334,500] sending → 127.0.0.1:9092 (40%)",
            "  [501,600] waiting ← 127.0.0.1:9093 (7 keys)",
            "  [601,700] waiting ← 127.0.0.1:9093");
  }

  private static RangeStatus range(
      int lower, int upper, String state, String peer, long total, long done) {
    return RangeStatus.newBuilder()
        .setShard(Shard.newBuilder().setLower(lower).setUpper(upper))
        .setState(state)
        .setPeer(peer)
        .setKeysTotal(total)
        .setKeysDone(done)
        .build();
  }

  @Test
  void showsAnEmptyConfigurationOnOneLine() {
    assertThat(Formats.configurationTable(Configuration.EMPTY))
        .containsExactly("configuration #0: no servers");
  }

  @Test
  void alignsTheConfigurationTable() {
    Configuration config =
        new Configuration(
            7,
            List.of(
                new ServerRanges("host-a:1", List.of(new ShardRange(0, 9), new ShardRange(20, 20))),
                new ServerRanges("a-longer-host:5001", List.of(new ShardRange(10, 19))),
                new ServerRanges("c:3", List.of())));
    assertThat(Formats.configurationTable(config))
        .containsExactly(
            "configuration #7: 3 servers",
            "SERVER                IDS  RANGES",
            "host-a:1               11  [0,9] [20,20]",
            "a-longer-host:5001     10  [10,19]",
            "c:3                     0  -");
  }

  @Test
  void showsAGroupUnderItsLeadersRowInTheConfigurationTable() {
    Configuration config =
        new Configuration(
            3,
            List.of(
                new ServerRanges(
                    "h:2",
                    List.of(new ShardRange(0, 500)),
                    Optional.of(new ReplicaSet("g1", List.of("h:1", "h:2", "h:3")))),
                new ServerRanges("solo:9", List.of(new ShardRange(501, 1000)))));
    assertThat(Formats.configurationTable(config))
        .containsExactly(
            "configuration #3: 2 servers",
            "SERVER    IDS  RANGES",
            "h:2       501  [0,500]",
            "  group g1: leader h:2, replicas h:1 h:2 h:3",
            "solo:9    500  [501,1000]");
  }

  @Test
  void showsEachReplicasRoleHealthAndLagUnderAGroupMembersStatus() {
    ServerStatus status =
        ServerStatus.newBuilder()
            .setServer("h:1")
            .setConfigNum(2)
            .setLatestConfigNum(2)
            .setDurable(true)
            .setGroup("g1")
            .setRaftId("a")
            .setRole("leader")
            .setLeader("h:1")
            .addReplicas(ReplicaStatuses.of("a", "h:1", "leader", true, 0))
            .addReplicas(ReplicaStatuses.of("b", "h:2", "follower", true, 3))
            .addReplicas(ReplicaStatuses.of("c", "", "follower", false, 0))
            .build();
    assertThat(
            Formats.statusTable(List.of(new ServerReport("h:1", "SERVING", Optional.of(status)))))
        .containsExactly(
            "SERVER  HEALTH       CONFIG       KEYS  STORAGE    HANDOFFS",
            "h:1     SERVING          #2          0  durable    none",
            "  group g1: member a is leader",
            "  replica a h:1 leader healthy lag 0",
            "  replica b h:2 follower healthy lag 3",
            "  replica c - follower unhealthy lag 0");
  }

  @Test
  void statusErrorsAreOneLine() {
    assertThat(
            Formats.error(
                Status.NOT_FOUND.withDescription("no value for key 'user_5'").asRuntimeException()))
        .isEqualTo("error: NOT_FOUND: no value for key 'user_5'");
    assertThat(Formats.error(Status.INTERNAL.withDescription("two\nlines\n").asRuntimeException()))
        .isEqualTo("error: INTERNAL: two lines");
    assertThat(Formats.error(Status.CANCELLED.asRuntimeException())).isEqualTo("error: CANCELLED");
    assertThat(
            Formats.error(
                Status.UNAVAILABLE
                    .withDescription("io exception")
                    .withCause(new IOException("broken pipe"))
                    .asRuntimeException()))
        .isEqualTo("error: UNAVAILABLE: io exception (broken pipe)");
  }

  @Test
  void refusedConnectionsNameTheAddress() {
    ConnectException refused =
        new ConnectException("finishConnect(..) failed: Connection refused: /127.0.0.1:5001");
    assertThat(
            Formats.error(
                Status.UNAVAILABLE
                    .withDescription("io exception")
                    .withCause(refused)
                    .asRuntimeException()))
        .isEqualTo("error: UNAVAILABLE: cannot connect to 127.0.0.1:5001 (connection refused)");
  }

  @Test
  void otherErrorsShowTheirMessage() {
    assertThat(Formats.error(new IllegalStateException("channel pool is closed")))
        .isEqualTo("error: channel pool is closed");
    assertThat(Formats.error(new NullPointerException())).isEqualTo("error: NullPointerException");
  }
}
