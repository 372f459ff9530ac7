package com.bacefook.store.gateway;

import com.bacefook.store.client.ConfigurationSource;
import com.bacefook.store.sharding.Configuration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;

/**
 * Asks for the configuration again, up to {@link #RETRIES} times, when the shardmaster could not
 * be reached at all: right after a restart the first call can fail while the channel still waits
 * for its name resolver or connection. Reading a configuration twice is harmless.
 */
final class RetryingConfigurationSource implements ConfigurationSource {
  /** Attempts after the first. */
  static final int RETRIES = 2;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  private final ConfigurationSource source;

  RetryingConfigurationSource(ConfigurationSource source) {
    this.source = source;
  }

  @Override
  public Configuration current() {
    return source.current();
  }

  @Override
  public Configuration refresh() {
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 0; ; attempt++) {
      try {
        return source.refresh();
      } catch (StatusRuntimeException e) {
        if (attempt == RETRIES || !isTransient(e.getStatus())) {
          throw e;
        }
      }
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
      }
      backoff = backoff.multipliedBy(2);
    }
  }

  /**
   * Returns whether {@code status} says the call never reached the shardmaster: UNAVAILABLE, or a
   * deadline that passed while the channel was still resolving the name.
   */
  static boolean isTransient(Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    return status.getCode() == Status.Code.UNAVAILABLE
        || (status.getCode() == Status.Code.DEADLINE_EXCEEDED
            && description.contains("name_resolver"));
  }
}
