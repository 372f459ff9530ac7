package com.bacefook.store.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.testkit.history.Operation.Kind;
import com.bacefook.store.testkit.history.Operation.Outcome;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How failures are recorded: what certainly had no effect is left out, the rest is NOT_FOUND or UNKNOWN. */
class RecordingClientTest {
  private static final StatusRuntimeException REFUSED =
      Refusals.wrongOwner("k_1", 1, "127.0.0.1:1", 3, Optional.empty());
  private static final StatusRuntimeException NOT_READY = Refusals.notReady("handoff under way");
  private static final StatusRuntimeException NOT_FOUND = Status.NOT_FOUND.asRuntimeException();
  private static final StatusRuntimeException UNAVAILABLE = Status.UNAVAILABLE.asRuntimeException();
  private static final StatusRuntimeException DEADLINE =
      Status.DEADLINE_EXCEEDED.asRuntimeException();
  private static final StatusRuntimeException INVALID =
      Status.INVALID_ARGUMENT.asRuntimeException();

  @Test
  void readsAreRecordedOnlyWithADefiniteAnswer() {
    assertThat(RecordingClient.classify(Kind.GET, NOT_FOUND)).isEqualTo(Outcome.NOT_FOUND);
    assertThat(RecordingClient.classify(Kind.GET, REFUSED)).isNull();
    assertThat(RecordingClient.classify(Kind.GET, UNAVAILABLE)).isNull();
    assertThat(RecordingClient.classify(Kind.GET, DEADLINE)).isNull();
  }

  @Test
  void appendsAreNeverRetriedAfterAnAmbiguousFailureSoTheirRefusalsAreDefinite() {
    assertThat(RecordingClient.classify(Kind.APPEND, REFUSED)).isNull();
    assertThat(RecordingClient.classify(Kind.APPEND, NOT_READY)).isNull();
    assertThat(RecordingClient.classify(Kind.APPEND, INVALID)).isNull();
    assertThat(RecordingClient.classify(Kind.APPEND, UNAVAILABLE)).isEqualTo(Outcome.UNKNOWN);
    assertThat(RecordingClient.classify(Kind.APPEND, DEADLINE)).isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void failedPutsAndDeletesMayHideAnAppliedEarlierAttempt() {
    for (StatusRuntimeException e : new StatusRuntimeException[] {REFUSED, UNAVAILABLE, DEADLINE}) {
      assertThat(RecordingClient.classify(Kind.PUT, e)).isEqualTo(Outcome.UNKNOWN);
      assertThat(RecordingClient.classify(Kind.DELETE, e)).isEqualTo(Outcome.UNKNOWN);
    }
    assertThat(RecordingClient.classify(Kind.DELETE, NOT_FOUND)).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void recorderReturnsTheHistoryInInvocationOrder() {
    HistoryRecorder recorder = new HistoryRecorder();
    recorder.record(Ops.get(1, null, 20, 30));
    recorder.record(Ops.put(2, "x", 10, 40));
    assertThat(recorder.size()).isEqualTo(2);
    assertThat(recorder.history()).extracting(Operation::invokeNanos).containsExactly(10L, 20L);
  }

  @Test
  void operationsDescribeThemselves() {
    assertThat(Ops.get(3, "v", 1_250_000, 1_900_000).describe(0))
        .isEqualTo("c3 GET k_1 -> \"v\" [1.250..1.900 ms]");
    assertThat(Ops.unknownPut(4, "x", 2_000_000).describe(1_000_000))
        .isEqualTo("c4 PUT k_1(\"x\") -> UNKNOWN [1.000..? ms]");
  }
}
