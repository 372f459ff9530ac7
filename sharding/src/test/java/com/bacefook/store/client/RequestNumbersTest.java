package com.bacefook.store.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.rpc.RequestIds.RequestId;
import org.junit.jupiter.api.Test;

class RequestNumbersTest {
  private final RequestNumbers numbers = new RequestNumbers("c");

  @Test
  void eachRequestAcknowledgesEverythingBelowTheOldestStillInFlight() {
    RequestId first = numbers.next();
    RequestId second = numbers.next();
    RequestId third = numbers.next();
    assertThat(third).isEqualTo(new RequestId("c", 3, 1));

    numbers.done(second);
    assertThat(numbers.next()).as("1 is still in flight").isEqualTo(new RequestId("c", 4, 1));

    numbers.done(first);
    assertThat(numbers.next()).as("3 is now the oldest in flight").isEqualTo(new RequestId("c", 5, 3));
  }

  @Test
  void aClientWithOneRequestAtATimeAcknowledgesAllEarlierOnes() {
    for (long seq = 1; seq <= 5; seq++) {
      RequestId id = numbers.next();
      assertThat(id).isEqualTo(new RequestId("c", seq, seq));
      numbers.done(id);
    }
  }
}
