package com.bacefook.store.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.ServerReport;
import com.bacefook.store.proto.RangeStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.testkit.ReplicaStatuses;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dashboard's JSON shaping from hand-built Status answers. */
class DashboardStateTest {
  private static final Configuration CONFIG =
      new Configuration(
          3,
          List.of(
              new ServerRanges("a:1", List.of(new ShardRange(0, 500))),
              new ServerRanges("b:2", List.of(new ShardRange(501, 1000)))));

  private static ServerStatus status(String server, long served, RangeStatus... ranges) {
    return ServerStatus.newBuilder()
        .setServer(server)
        .setConfigNum(3)
        .setLatestConfigNum(4)
        .setKeys(12)
        .setBytes(3400)
        .setRequestsServed(served)
        .addAllRanges(List.of(ranges))
        .build();
  }

  private static RangeStatus range(int lower, int upper, String state, long total, long done) {
    return RangeStatus.newBuilder()
        .setShard(Shard.newBuilder().setLower(lower).setUpper(upper))
        .setState(state)
        .setPeer(state.equals("serving") ? "" : "b:2")
        .setConfigNum(3)
        .setKeysTotal(total)
        .setKeysDone(done)
        .build();
  }

  private static List<ServerReport> reports(long servedA) {
    return List.of(
        new ServerReport(
            "a:1",
            "SERVING",
            Optional.of(
                status(
                    "a:1",
                    servedA,
                    range(0, 400, "serving", 0, 0),
                    range(401, 500, "sending", 200, 50)))),
        new ServerReport("b:2", "UNAVAILABLE", Optional.empty()));
  }

  @Test
  void eachServerShowsWhatItSaidAndItsRanges() {
    DashboardView view =
        DashboardState.initial("sm:9").sampled(1_000, CONFIG, reports(10), List.of()).view();

    assertThat(view.updatedAt()).isEqualTo(1_000);
    assertThat(view.shardmaster()).isEqualTo("sm:9");
    assertThat(view.shardmasterError()).isNull();
    assertThat(view.configNum()).isEqualTo(3);
    DashboardView.Server a = view.servers().get(0);
    assertThat(a.server()).isEqualTo("a:1");
    assertThat(a.health()).isEqualTo("SERVING");
    assertThat(a.configNum()).isEqualTo(3);
    assertThat(a.latestConfigNum()).isEqualTo(4);
    assertThat(a.keys()).isEqualTo(12);
    assertThat(a.bytes()).isEqualTo(3400);
    assertThat(a.requestsPerSecond()).as("no rate before a second sample").isNull();
    assertThat(a.ranges())
        .containsExactly(
            new DashboardView.Range(0, 400, "serving", "", 3, 0, 0),
            new DashboardView.Range(401, 500, "sending", "b:2", 3, 200, 50));
    DashboardView.Server b = view.servers().get(1);
    assertThat(b.health()).isEqualTo("UNAVAILABLE");
    assertThat(b.configNum()).isNull();
    assertThat(b.keys()).isNull();
    assertThat(b.ranges()).isEmpty();
  }

  @Test
  void theRateIsTheCounterDeltaPerSecondAndKeepsTheLastMinutes() {
    DashboardState state = DashboardState.initial("sm:9").sampled(1_000, CONFIG, reports(10), List.of());

    state = state.sampled(3_000, CONFIG, reports(410), List.of());

    DashboardView.Server a = state.view().servers().get(0);
    assertThat(a.requestsPerSecond()).isEqualTo(200.0);
    assertThat(a.rate()).containsExactly(new DashboardView.RatePoint(3_000, 200.0));
    for (int i = 1; i <= DashboardState.RATE_POINTS + 5; i++) {
      state = state.sampled(3_000 + i * 1_000L, CONFIG, reports(410 + i * 7L), List.of());
    }
    List<DashboardView.RatePoint> rate = state.view().servers().get(0).rate();
    assertThat(rate).hasSize(DashboardState.RATE_POINTS);
    assertThat(rate.get(rate.size() - 1).perSecond()).isEqualTo(7.0);
  }

  @Test
  void aRestartedServersCounterGivesNoRateInsteadOfANegativeOne() {
    DashboardState state =
        DashboardState.initial("sm:9").sampled(1_000, CONFIG, reports(500), List.of());

    state = state.sampled(2_000, CONFIG, reports(3), List.of());

    assertThat(state.view().servers().get(0).requestsPerSecond()).isNull();
    assertThat(state.sampled(3_000, CONFIG, reports(13), List.of()).view().servers().get(0)
            .requestsPerSecond())
        .isEqualTo(10.0);
  }

  @Test
  void theTimelineIsNewestFirstAndBounded() {
    ConfigChange first = new ConfigChange(1, null, List.of("a:1"), List.of(), List.of());
    ConfigChange second = new ConfigChange(2, 900L, List.of("b:2"), List.of(), List.of());
    DashboardState state =
        DashboardState.initial("sm:9").sampled(1_000, CONFIG, reports(1), List.of(first, second));

    assertThat(state.view().timeline()).containsExactly(second, first);
    for (int i = 3; i < 3 + DashboardState.TIMELINE_ENTRIES; i++) {
      state =
          state.sampled(
              1_000 + i, CONFIG, reports(1),
              List.of(new ConfigChange(i, 1L, List.of(), List.of(), List.of())));
    }
    assertThat(state.view().timeline()).hasSize(DashboardState.TIMELINE_ENTRIES);
    assertThat(state.view().timeline().get(0).configNum())
        .isEqualTo(2 + DashboardState.TIMELINE_ENTRIES);
  }

  @Test
  void anUnreachableShardmasterKeepsTheLastViewWithTheError() {
    DashboardState state =
        DashboardState.initial("sm:9").sampled(1_000, CONFIG, reports(1), List.of());

    DashboardView view = state.unreachable(2_000, "UNAVAILABLE: io exception").view();

    assertThat(view.shardmasterError()).isEqualTo("UNAVAILABLE: io exception");
    assertThat(view.updatedAt()).isEqualTo(2_000);
    assertThat(view.servers()).isEqualTo(state.view().servers());
    assertThat(view.configNum()).isEqualTo(3);
  }

  @Test
  void aGroupMembersCardListsEveryReplicaWithItsRoleHealthAndLag() {
    ServerStatus leader =
        status("a:1", 10).toBuilder()
            .setGroup("g1")
            .setRaftId("x")
            .setRole("leader")
            .setLeader("a:1")
            .addReplicas(ReplicaStatuses.of("x", "a:1", "leader", true, 0))
            .addReplicas(ReplicaStatuses.of("y", "a:2", "follower", false, 7))
            .build();

    DashboardView view =
        DashboardState.initial("sm:1")
            .sampled(
                1_000,
                CONFIG,
                List.of(
                    new ServerReport("a:1", "SERVING", Optional.of(leader)),
                    new ServerReport("b:2", "SERVING", Optional.of(status("b:2", 3)))),
                List.of())
            .view();

    assertThat(view.servers().get(0).group())
        .isEqualTo(
            new DashboardView.Group(
                "g1",
                "x",
                "leader",
                "a:1",
                List.of(
                    new DashboardView.Replica("x", "a:1", "leader", true, 0),
                    new DashboardView.Replica("y", "a:2", "follower", false, 7))));
    assertThat(view.servers().get(1).group()).as("a server of its own").isNull();
  }
}
