package com.bacefook.store.shardkv;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.sharding.Configuration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shardmaster's configurations as this server sees them: the latest ({@link #latest}) and past
 * ones by number ({@link #get}), each fetched once (a numbered configuration never changes). Used to
 * walk configurations in order and to check that a handoff is one.
 *
 * <p>The original shardmaster has no {@code QueryConfig} and leaves {@code config_num} unset. When
 * {@code QueryConfig} answers {@code UNIMPLEMENTED}, configurations are followed by polling {@code
 * Query} instead: each distinct answer is the next configuration, numbered by its {@code config_num}
 * if it has one, else counted from the answers seen. Servers that did not see the same answers then
 * number differently; see docs/handoff.md.
 */
final class ConfigCache {
  private static final Logger log = LoggerFactory.getLogger(ConfigCache.class);
  private static final int MAX_CACHED = 4_096;

  /** How the shardmaster is followed; decided by the first {@link #latest}. */
  private enum Mode {
    UNKNOWN,
    NUMBERED,
    QUERY_ONLY
  }

  private final String self;
  private final ShardmasterClient shardmaster;
  private final ConcurrentMap<Long, Configuration> cache = new ConcurrentHashMap<>();
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.UNKNOWN);
  /** In {@link Mode#QUERY_ONLY}: the last distinct answer, as numbered here. Guarded by this. */
  private Configuration lastAnswer = Configuration.EMPTY;

  ConfigCache(String self, ShardmasterClient shardmaster) {
    this.self = self;
    this.shardmaster = shardmaster;
  }

  /**
   * Returns the shardmaster's latest configuration.
   *
   * @throws StatusRuntimeException the status of a failed query
   */
  Configuration latest() {
    Configuration answer = shardmaster.query();
    if (mode.get() == Mode.UNKNOWN) {
      try {
        shardmaster.query(answer.number());
        mode.compareAndSet(Mode.UNKNOWN, Mode.NUMBERED);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          throw e;
        }
        queryOnly();
      }
    }
    return mode.get() == Mode.QUERY_ONLY ? numbered(answer) : answer;
  }

  /**
   * Returns configuration {@code number}.
   *
   * @throws StatusRuntimeException {@code FAILED_PRECONDITION} if the shardmaster has no such
   *     configuration (or, answering {@code Query} only, it was never seen here), or the status of a
   *     failed query
   */
  Configuration get(long number) {
    Configuration config = cache.get(number);
    if (config != null) {
      return config;
    }
    if (number == 0) {
      return Configuration.EMPTY;
    }
    if (mode.get() != Mode.QUERY_ONLY) {
      try {
        config = shardmaster.query(number);
      } catch (StatusRuntimeException e) {
        switch (e.getStatus().getCode()) {
          case NOT_FOUND -> throw noSuchConfiguration(number, "yet");
          case UNIMPLEMENTED -> queryOnly();
          default -> throw e;
        }
      }
    }
    if (config == null) {
      throw noSuchConfiguration(
          number, "that this server saw (the shardmaster answers Query only, without history)");
    }
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(number, config);
    return config;
  }

  private static StatusRuntimeException noSuchConfiguration(long number, String qualifier) {
    return Status.FAILED_PRECONDITION
        .withDescription("there is no configuration #" + number + " " + qualifier)
        .asRuntimeException();
  }

  private void queryOnly() {
    if (mode.getAndSet(Mode.QUERY_ONLY) != Mode.QUERY_ONLY) {
      log.warn(
          "{}: the shardmaster has no QueryConfig (the original shardmaster?); following it by"
              + " polling Query, each distinct answer being the next configuration",
          self);
    }
  }

  /** Numbers a {@code Query} answer: the same as the last distinct one, or the next number. */
  private synchronized Configuration numbered(Configuration answer) {
    if (answer.servers().equals(lastAnswer.servers())) {
      return lastAnswer;
    }
    long number =
        answer.number() > lastAnswer.number() ? answer.number() : lastAnswer.number() + 1;
    Configuration next = new Configuration(number, answer.servers());
    cache.put(number, next);
    lastAnswer = next;
    return next;
  }
}
