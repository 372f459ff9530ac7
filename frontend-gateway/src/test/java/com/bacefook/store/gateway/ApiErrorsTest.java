package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.javalin.http.HttpStatus;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {
  @Test
  void refusedInputMapsToItsClientStatus() {
    assertThat(ApiErrors.statusOf(ClientError.Reason.INVALID)).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(ApiErrors.statusOf(ClientError.Reason.NOT_FOUND)).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(ApiErrors.statusOf(ClientError.Reason.TAKEN)).isEqualTo(HttpStatus.CONFLICT);
    assertThat(ApiErrors.statusOf(ClientError.Reason.TOO_LARGE))
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
  }

  @Test
  void aClusterThatCannotAnswerIs503() {
    for (Status.Code code :
        EnumSet.of(
            Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED,
            Status.Code.FAILED_PRECONDITION,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.ABORTED)) {
      assertThat(ApiErrors.statusOf(code)).as(code.name()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }
  }

  @Test
  void storeRefusalsOfInputAre4xxAndTheRest502() {
    assertThat(ApiErrors.statusOf(Status.Code.INVALID_ARGUMENT)).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(ApiErrors.statusOf(Status.Code.NOT_FOUND)).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(ApiErrors.statusOf(Status.Code.ALREADY_EXISTS)).isEqualTo(HttpStatus.CONFLICT);
    assertThat(ApiErrors.statusOf(Status.Code.INTERNAL)).isEqualTo(HttpStatus.BAD_GATEWAY);
    assertThat(ApiErrors.statusOf(Status.Code.UNKNOWN)).isEqualTo(HttpStatus.BAD_GATEWAY);
  }
}
