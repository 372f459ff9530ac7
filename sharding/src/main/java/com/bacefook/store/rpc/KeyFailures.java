package com.bacefook.store.rpc;

import com.bacefook.store.proto.KeyFailure;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * One key's failure inside a batch RPC ({@code PutMany}, {@code DeleteMany}) as a {@link KeyFailure},
 * and back as the {@link StatusRuntimeException} the single-key RPC would have thrown, refusal trailers
 * included, so a client decides about a key of a batch exactly as about a single request.
 */
public final class KeyFailures {
  private KeyFailures() {}

  /** Returns the failure of the key at {@code index} that failed with {@code e} (mapped as {@link Answers} does). */
  public static KeyFailure of(int index, RuntimeException e) {
    StatusRuntimeException status = Answers.toStatus(e);
    String description = status.getStatus().getDescription();
    KeyFailure.Builder failure =
        KeyFailure.newBuilder()
            .setIndex(index)
            .setCode(status.getStatus().getCode().value())
            .setDescription(description == null ? "" : description);
    if (Refusals.isRefusal(status)) {
      failure.setRefused(true);
      Refusals.ownerHint(status).ifPresent(failure::setOwner);
      failure.setConfigNum(Math.max(0, Refusals.configNumber(status)));
    }
    return failure.build();
  }

  /** Returns {@code failure} as the exception a single-key call would have ended with. */
  public static StatusRuntimeException toException(KeyFailure failure) {
    Metadata trailers = new Metadata();
    if (failure.getRefused()) {
      trailers.put(Refusals.REFUSED, "batch");
      trailers.put(Refusals.CONFIG, Long.toString(failure.getConfigNum()));
      if (!failure.getOwner().isEmpty()) {
        trailers.put(Refusals.OWNER, failure.getOwner());
      }
    }
    return Status.fromCodeValue(failure.getCode())
        .withDescription(failure.getDescription())
        .asRuntimeException(trailers);
  }
}
