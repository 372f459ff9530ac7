package com.bacefook.store.gateway;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Names the shardmaster in every failure of a call to it, so that an API error says which address
 * could not be reached ({@code shardmaster 127.0.0.1:9090: UNAVAILABLE: io exception}), not just
 * that something could not.
 */
final class ShardmasterCalls implements ClientInterceptor {
  private final String address;

  ShardmasterCalls(String address) {
    this.address = address;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                super.onClose(status.isOk() ? status : named(status), trailers);
              }
            },
            headers);
      }
    };
  }

  /** Returns {@code status} with the shardmaster's address in front of its description. */
  Status named(Status status) {
    String description = status.getDescription() == null ? "" : ": " + status.getDescription();
    return status.withDescription("shardmaster " + address + description);
  }
}
