package com.bacefook.store.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.proto.KeyFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyFailuresTest {
  @Test
  void aWrongOwnerRefusalSurvivesTheTripThroughABatchReply() {
    StatusRuntimeException refusal = Refusals.wrongOwner("k_5_1", 5, "a:1", 7, Optional.of("b:2"));

    KeyFailure failure = KeyFailures.of(3, refusal);
    StatusRuntimeException back = KeyFailures.toException(failure);

    assertThat(failure.getIndex()).isEqualTo(3);
    assertThat(failure.getRefused()).isTrue();
    assertThat(back.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(back.getStatus().getDescription()).isEqualTo(refusal.getStatus().getDescription());
    assertThat(Refusals.isRefusal(back)).isTrue();
    assertThat(Refusals.ownerHint(back)).contains("b:2");
    assertThat(Refusals.configNumber(back)).isEqualTo(7);
  }

  @Test
  void otherFailuresAreNotRefusalsAndMapAsSingleCallsDo() {
    StatusRuntimeException badInput = KeyFailures.toException(KeyFailures.of(0, new IllegalArgumentException("bad")));
    StatusRuntimeException notFound =
        KeyFailures.toException(KeyFailures.of(1, Status.NOT_FOUND.withDescription("gone").asRuntimeException()));

    assertThat(badInput.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Refusals.isRefusal(badInput)).isFalse();
    assertThat(notFound.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(notFound.getStatus().getDescription()).isEqualTo("gone");
  }
}
