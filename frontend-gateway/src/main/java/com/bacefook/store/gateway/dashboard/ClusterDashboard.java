package com.bacefook.store.gateway.dashboard;

import com.bacefook.store.client.ServerReport;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.sharding.Configuration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster once a second what the dashboard shows, on its own thread, and publishes an
 * immutable {@link DashboardView}: the shardmaster's configuration (and every configuration since
 * the previous sample, for the timeline), then each server's health and Status. It also tells the
 * operator, once per outage, that the shardmaster cannot be reached.
 */
public final class ClusterDashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterDashboard.class);
  /** Configurations older than the gateway that the timeline starts with. */
  static final int HISTORY_AT_START = 10;

  private final String shardmasterAddress;
  private final ShardmasterClient shardmaster;
  private final StoreClient store;
  private final Clock clock;
  private final ScheduledExecutorService sampler;
  private volatile DashboardState state;
  /** Touched by the sampler thread only. */
  private Configuration latest;
  private boolean reachable = true;
  private int failures;

  /**
   * Creates a dashboard over the shardmaster at {@code shardmasterAddress} (reached through {@code
   * shardmaster}) and its servers (through {@code store}); {@link #start} begins sampling.
   */
  public ClusterDashboard(
      String shardmasterAddress, ShardmasterClient shardmaster, StoreClient store, Clock clock) {
    this.shardmasterAddress = shardmasterAddress;
    this.shardmaster = shardmaster;
    this.store = store;
    this.clock = clock;
    this.state = DashboardState.initial(shardmasterAddress);
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "dashboard-sampler");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Samples now and then every second until closed; returns this. */
  public ClusterDashboard start() {
    sampler.scheduleWithFixedDelay(this::sampleQuietly, 0, 1, TimeUnit.SECONDS);
    return this;
  }

  /** Returns the latest view. */
  public DashboardView view() {
    return state.view();
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      log.warn("dashboard sample failed: {}", e.toString());
    }
  }

  /** One sample: runs on the sampler thread only, with no lock held across its RPCs. */
  void sample() {
    Configuration config;
    List<ConfigChange> changes;
    try {
      config = shardmaster.query();
      changes = changesUpTo(config);
    } catch (StatusRuntimeException e) {
      failures++;
      // Refused at once, or slow three times in a row: one slow answer on a busy machine is not news.
      boolean down = e.getStatus().getCode() == Status.Code.UNAVAILABLE || failures >= 3;
      if (reachable && down) {
        // The description names the shardmaster's address (see ShardmasterCalls).
        log.warn(
            "cannot reach the shardmaster ({}): the API answers 503 until it is back",
            describe(e.getStatus()));
        reachable = false;
      }
      state = state.unreachable(clock.millis(), describe(e.getStatus()));
      return;
    }
    failures = 0;
    if (!reachable) {
      log.info("shardmaster {} is reachable again, at configuration #{}", shardmasterAddress,
          config.number());
      reachable = true;
    }
    List<ServerReport> reports;
    try {
      reports = store.serverReports();
    } catch (StatusRuntimeException e) {
      // Its own read of the configuration was too slow: the next sample asks again.
      log.debug("dashboard sample skipped: {}", describe(e.getStatus()));
      return;
    }
    state = state.sampled(clock.millis(), config, reports, changes);
    latest = config;
  }

  /** Returns the changes from the last configuration seen up to {@code config}, oldest first. */
  private List<ConfigChange> changesUpTo(Configuration config) {
    List<ConfigChange> changes = new ArrayList<>();
    boolean atStart = latest == null;
    long from =
        atStart
            ? Math.max(0, config.number() - HISTORY_AT_START)
            : Math.max(latest.number(), config.number() - DashboardState.TIMELINE_ENTRIES);
    Long seenAt = atStart ? null : clock.millis();
    try {
      Configuration previous = atStart || from != latest.number() ? configuration(from) : latest;
      for (long number = from + 1; number <= config.number(); number++) {
        Configuration next = number == config.number() ? config : configuration(number);
        changes.add(ConfigChange.between(previous, next, seenAt));
        previous = next;
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED
          && e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      // A shardmaster without QueryConfig: only the change since the last one seen is known.
      changes.clear();
      if (config.number() > (atStart ? 0 : latest.number())) {
        changes.add(
            ConfigChange.between(atStart ? Configuration.EMPTY : latest, config, seenAt));
      }
    }
    return changes;
  }

  private Configuration configuration(long number) {
    return number == 0 ? Configuration.EMPTY : shardmaster.query(number);
  }

  private static String describe(Status status) {
    return status.getCode()
        + (status.getDescription() == null ? "" : ": " + status.getDescription());
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
