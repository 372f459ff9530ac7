package com.bacefook.store.rpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.Map;

/**
 * Request headers that mark a call (a handoff, an erase): stubs that send them, and a server
 * interceptor that exposes each to the handler as a {@link Context} value.
 */
final class ContextHeaders {
  private ContextHeaders() {}

  /** Returns {@code stub} sending {@code headers} (header to value) on every call. */
  static <S extends AbstractStub<S>> S attach(S stub, Map<Metadata.Key<String>, String> headers) {
    Metadata metadata = new Metadata();
    headers.forEach(metadata::put);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
  }

  /** Returns an interceptor that puts each header present into its context key of {@code bindings}. */
  static ServerInterceptor exposing(Map<Metadata.Key<String>, Context.Key<String>> bindings) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Context context = Context.current();
        boolean marked = false;
        for (Map.Entry<Metadata.Key<String>, Context.Key<String>> binding : bindings.entrySet()) {
          String value = headers.get(binding.getKey());
          if (value != null) {
            context = context.withValue(binding.getValue(), value);
            marked = true;
          }
        }
        return marked
            ? Contexts.interceptCall(context, call, headers, next)
            : next.startCall(call, headers);
      }
    };
  }
}
