package com.bacefook.store.shardkv;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server interceptor that makes chosen methods fail, so a test can hold a handoff between two of its
 * steps: {@link Mode#REFUSE} fails a call before it runs; {@link Mode#LOSE_REPLY} runs it and then
 * fails it, as if the answer were lost on the way back.
 */
final class Faults implements ServerInterceptor {
  enum Mode {
    PASS,
    REFUSE,
    LOSE_REPLY
  }

  private final Map<String, Mode> modes = new ConcurrentHashMap<>();

  /** Sets how calls of {@code method} are treated from now on. */
  void set(MethodDescriptor<?, ?> method, Mode mode) {
    modes.put(method.getFullMethodName(), mode);
  }

  /** Lets every call through again. */
  void clear() {
    modes.clear();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Mode mode = modes.getOrDefault(call.getMethodDescriptor().getFullMethodName(), Mode.PASS);
    switch (mode) {
      case REFUSE -> {
        call.close(Status.UNAVAILABLE.withDescription("test fault: refused"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      case LOSE_REPLY -> {
        return next.startCall(
            new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
              @Override
              public void sendMessage(R message) {}

              @Override
              public void close(Status status, Metadata trailers) {
                super.close(
                    status.isOk() ? Status.UNAVAILABLE.withDescription("test fault: reply lost") : status,
                    trailers);
              }
            },
            headers);
      }
      default -> {
        return next.startCall(call, headers);
      }
    }
  }
}
