package com.bacefook.store.gateway.dashboard;

import com.bacefook.store.client.ServerReport;
import com.bacefook.store.proto.RangeStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.sharding.Configuration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard between two samples: the view last published, plus what the next sample needs to
 * compute request rates (each server's counter when last asked). Immutable; each sample makes the
 * next state.
 */
public final class DashboardState {
  /** Rate points kept per server: three minutes at one sample a second. */
  public static final int RATE_POINTS = 180;
  /** Configuration changes kept in the timeline. */
  public static final int TIMELINE_ENTRIES = 50;

  /** A server's request counter when it was last asked. */
  private record Counter(long at, long served) {}

  private final DashboardView view;
  private final Map<String, Counter> counters;

  private DashboardState(DashboardView view, Map<String, Counter> counters) {
    this.view = view;
    this.counters = Map.copyOf(counters);
  }

  /** Returns the state before the first sample. */
  public static DashboardState initial(String shardmaster) {
    return new DashboardState(
        new DashboardView(0, shardmaster, null, 0, List.of(), List.of()), Map.of());
  }

  /** Returns the view to publish. */
  public DashboardView view() {
    return view;
  }

  /**
   * Returns the state after a sample at {@code now} (milliseconds since the epoch): {@code config}
   * from the shardmaster, {@code reports} from its servers, and {@code changes} (oldest first)
   * since the previous sample.
   */
  public DashboardState sampled(
      long now, Configuration config, List<ServerReport> reports, List<ConfigChange> changes) {
    Map<String, Counter> nextCounters = new HashMap<>();
    Map<String, List<DashboardView.RatePoint>> history = new HashMap<>();
    view.servers().forEach(server -> history.put(server.server(), server.rate()));
    List<DashboardView.Server> servers = new ArrayList<>();
    for (ServerReport report : reports) {
      Optional<ServerStatus> status = report.status();
      Double rate = null;
      if (status.isPresent()) {
        long served = status.get().getRequestsServed();
        Counter previous = counters.get(report.server());
        if (previous != null && served >= previous.served() && now > previous.at()) {
          rate = (served - previous.served()) * 1000.0 / (now - previous.at());
        }
        nextCounters.put(report.server(), new Counter(now, served));
      }
      List<DashboardView.RatePoint> points =
          new ArrayList<>(history.getOrDefault(report.server(), List.of()));
      if (rate != null) {
        points.add(new DashboardView.RatePoint(now, rate));
      }
      servers.add(server(report, rate, last(points, RATE_POINTS)));
    }
    List<ConfigChange> timeline = new ArrayList<>(changes);
    Collections.reverse(timeline);
    timeline.addAll(view.timeline());
    return new DashboardState(
        new DashboardView(
            now,
            view.shardmaster(),
            null,
            config.number(),
            servers,
            timeline.subList(0, Math.min(timeline.size(), TIMELINE_ENTRIES))),
        nextCounters);
  }

  /**
   * Returns the state after a sample at {@code now} in which the shardmaster did not answer: the
   * servers and timeline stay as they were last seen, with the error beside them.
   */
  public DashboardState unreachable(long now, String error) {
    return new DashboardState(
        new DashboardView(
            now, view.shardmaster(), error, view.configNum(), view.servers(), view.timeline()),
        counters);
  }

  private static DashboardView.Server server(
      ServerReport report, Double rate, List<DashboardView.RatePoint> points) {
    if (report.status().isEmpty()) {
      return new DashboardView.Server(
          report.server(), report.health(), null, null, null, null, null, points, List.of(), null);
    }
    ServerStatus status = report.status().get();
    List<DashboardView.Range> ranges =
        status.getRangesList().stream().map(DashboardState::range).toList();
    return new DashboardView.Server(
        report.server(),
        report.health(),
        status.getConfigNum(),
        status.getLatestConfigNum(),
        status.getKeys(),
        status.getBytes(),
        rate,
        points,
        ranges,
        status.getGroup().isEmpty() ? null : group(status));
  }

  private static DashboardView.Group group(ServerStatus status) {
    return new DashboardView.Group(
        status.getGroup(),
        status.getRaftId(),
        status.getRole(),
        status.getLeader(),
        status.getReplicasList().stream()
            .map(
                r ->
                    new DashboardView.Replica(
                        r.getRaftId(), r.getAddress(), r.getRole(), r.getHealthy(), r.getLag()))
            .toList());
  }

  private static DashboardView.Range range(RangeStatus range) {
    return new DashboardView.Range(
        range.getShard().getLower(),
        range.getShard().getUpper(),
        range.getState(),
        range.getPeer(),
        range.getConfigNum(),
        range.getKeysTotal(),
        range.getKeysDone());
  }

  private static <T> List<T> last(List<T> list, int count) {
    return list.subList(Math.max(0, list.size() - count), list.size());
  }
}
