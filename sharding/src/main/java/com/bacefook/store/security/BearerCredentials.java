package com.bacefook.store.security;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Attaches {@code authorization: Bearer <token>} to each call, choosing per method the token it needs
 * ({@link MethodAccess}, {@link Tokens#toSend}); a call for which no token is held goes without one.
 */
public final class BearerCredentials extends CallCredentials {
  private final Tokens tokens;

  /** Creates credentials sending from {@code tokens}. */
  public BearerCredentials(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    Access access = MethodAccess.of(info.getMethodDescriptor().getFullMethodName(), false);
    Optional<Secret> token = tokens.toSend(access);
    Metadata headers = new Metadata();
    token.ifPresent(t -> headers.put(TokenInterceptor.AUTHORIZATION, "Bearer " + t.reveal()));
    applier.apply(headers);
  }
}
