package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.client.ConfigurationSource;
import com.bacefook.store.sharding.Configuration;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryingConfigurationSourceTest {
  private static final Configuration CONFIG = new Configuration(7, List.of());

  /** Fails with the statuses given, in order, then answers {@link #CONFIG}. */
  private static final class Failing implements ConfigurationSource {
    private final Deque<Status> failures;
    private int calls;

    Failing(Status... failures) {
      this.failures = new ArrayDeque<>(List.of(failures));
    }

    @Override
    public Configuration current() {
      return CONFIG;
    }

    @Override
    public Configuration refresh() {
      calls++;
      if (!failures.isEmpty()) {
        throw failures.removeFirst().asRuntimeException();
      }
      return CONFIG;
    }
  }

  @Test
  void aCallThatNeverReachedTheShardmasterIsRetried() {
    Failing source =
        new Failing(
            Status.DEADLINE_EXCEEDED.withDescription(
                "deadline exceeded after 1.9s. [waiting for name_resolver]"),
            Status.UNAVAILABLE.withDescription("io exception"));

    assertThat(new RetryingConfigurationSource(source).refresh()).isEqualTo(CONFIG);
    assertThat(source.calls).isEqualTo(3);
  }

  @Test
  void itGivesUpAfterTwoRetries() {
    Failing source =
        new Failing(Status.UNAVAILABLE, Status.UNAVAILABLE, Status.UNAVAILABLE, Status.UNAVAILABLE);

    assertThatThrownBy(() -> new RetryingConfigurationSource(source).refresh())
        .hasMessageStartingWith("UNAVAILABLE");
    assertThat(source.calls).isEqualTo(1 + RetryingConfigurationSource.RETRIES);
  }

  @Test
  void otherFailuresAreNotRetried() {
    Failing source =
        new Failing(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 2s"));

    assertThatThrownBy(() -> new RetryingConfigurationSource(source).refresh())
        .hasMessageStartingWith("DEADLINE_EXCEEDED");
    assertThat(source.calls).isEqualTo(1);
  }
}
