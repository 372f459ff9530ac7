package com.bacefook.store.shardkv;

import com.bacefook.store.client.ConfigurationSource;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.sharding.Configuration;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat: queries the shardmaster every interval and tells its listeners about each
 * configuration it sees (they decide what changed). Also the server's {@link ConfigurationSource}.
 */
final class ConfigFollower implements ConfigurationSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigFollower.class);

  private final String self;
  private final ShardmasterClient shardmaster;
  private final Duration interval;
  private final List<Consumer<Configuration>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private volatile Configuration latest = Configuration.EMPTY;
  private volatile boolean reachable = true;
  private final AtomicLong fetches = new AtomicLong();
  private long appliedTicket; // guarded by this

  ConfigFollower(String self, ShardmasterClient shardmaster, Duration interval) {
    this.self = self;
    this.shardmaster = shardmaster;
    this.interval = interval;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "heartbeat-" + self);
              thread.setDaemon(true);
              return thread;
            });
  }

  void addListener(Consumer<Configuration> listener) {
    listeners.add(listener);
  }

  void start() {
    timer.scheduleWithFixedDelay(
        this::heartbeat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    try {
      refresh();
      if (!reachable) {
        reachable = true;
        log.info("{}: shardmaster reachable again", self);
      }
    } catch (StatusRuntimeException e) {
      if (reachable) {
        reachable = false;
        log.warn("{}: cannot reach the shardmaster: {}", self, e.getStatus());
      }
    } catch (RuntimeException e) {
      log.error("{}: heartbeat failed", self, e);
    }
  }

  @Override
  public Configuration current() {
    return latest;
  }

  @Override
  public Configuration refresh() {
    long ticket = fetches.incrementAndGet();
    Configuration fetched = shardmaster.query();
    synchronized (this) {
      // A query that started later has already been applied: this answer may be older than it.
      if (ticket < appliedTicket) {
        return latest;
      }
      appliedTicket = ticket;
      if (!fetched.equals(latest)) {
        latest = fetched;
        log.info("{}: configuration #{}: {}", self, fetched.number(), fetched.rangesOf(self));
        for (Consumer<Configuration> listener : listeners) {
          listener.accept(fetched);
        }
      }
      return fetched;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
