package com.bacefook.store.shardmaster;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every configuration the shardmaster has produced, numbered from 0 (empty). Thread-safe: changes are
 * applied one at a time through {@link ConfigurationRules}.
 */
public final class ConfigurationHistory {
  private static final Logger logger = LoggerFactory.getLogger(ConfigurationHistory.class);

  private final List<Configuration> history = new ArrayList<>(List.of(Configuration.EMPTY));
  private final HistoryLog log;
  private volatile Configuration latest = Configuration.EMPTY;

  /** Creates a history kept in memory only. */
  public ConfigurationHistory() {
    this(HistoryLog.NONE);
  }

  /** Creates a history kept in {@code log}, starting from what it holds. */
  ConfigurationHistory(HistoryLog log) {
    this.log = log;
    history.addAll(log.load());
    latest = history.get(history.size() - 1);
  }

  /** Returns the newest configuration. */
  public Configuration latest() {
    return latest;
  }

  /** Returns configuration number {@code number}, if it exists. */
  public synchronized Optional<Configuration> get(long number) {
    if (number < 0 || number >= history.size()) {
      return Optional.empty();
    }
    return Optional.of(history.get((int) number));
  }

  /** Applies {@link ConfigurationRules#join}. */
  public Configuration join(String server) {
    return join(server, Optional.empty());
  }

  /** Applies {@link ConfigurationRules#join} for {@code server} leading {@code group}, if given. */
  public Configuration join(String server, Optional<ReplicaSet> group) {
    return apply(
        "join " + server + group.map(g -> " leading replica group " + g).orElse(""),
        c -> ConfigurationRules.join(c, server, group));
  }

  /** Applies {@link ConfigurationRules#replace}. */
  public Configuration replace(String replaced, String server, Optional<ReplicaSet> group) {
    return apply(
        (server.equals(replaced) ? "update of " + server : "join " + server + " in place of " + replaced)
            + group.map(g -> " leading replica group " + g).orElse(""),
        c -> ConfigurationRules.replace(c, replaced, server, group));
  }

  /** Applies {@link ConfigurationRules#leave}. */
  public Configuration leave(List<String> servers) {
    return apply("leave " + servers, c -> ConfigurationRules.leave(c, servers));
  }

  /** Applies {@link ConfigurationRules#move}. */
  public Configuration move(String server, ShardRange range) {
    return apply("move " + range + " to " + server, c -> ConfigurationRules.move(c, server, range));
  }

  private synchronized Configuration apply(String what, UnaryOperator<Configuration> change) {
    Configuration next = change.apply(latest);
    log.append(next);
    history.add(next);
    latest = next;
    logger.info("configuration #{} after {}: {}", next.number(), what, next.servers());
    return next;
  }
}
