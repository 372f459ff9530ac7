package com.bacefook.store.security;

import io.grpc.Status;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a call may run, from the access its method needs and the {@code authorization} header
 * it carries: a missing token is {@code UNAUTHENTICATED}, a wrong one {@code PERMISSION_DENIED}. The
 * messages name the token needed, never anything about the secret.
 */
public final class TokenCheck {
  private static final String BEARER = "bearer ";

  private final Tokens tokens;

  /** Creates a check against the tokens this server holds. */
  public TokenCheck(Tokens tokens) {
    this.tokens = tokens;
  }

  /**
   * Returns the refusal for a call of {@code method} needing {@code access} with header {@code
   * authorization} (null if absent), or empty if it may run.
   */
  public Optional<Status> check(String method, Access access, String authorization) {
    List<Secret> accepted = tokens.accepted(access);
    if (accepted.isEmpty()) {
      return Optional.empty();
    }
    String needed = needed(access);
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return Optional.of(
          Status.UNAUTHENTICATED.withDescription(
              method + " needs " + needed + ": send the header 'authorization: Bearer <token>'"));
    }
    String presented = authorization.substring(BEARER.length()).strip();
    boolean match = false;
    for (Secret secret : accepted) {
      match |= secret.matches(presented);
    }
    if (match) {
      return Optional.empty();
    }
    return Optional.of(
        Status.PERMISSION_DENIED.withDescription(method + " needs " + needed + "; the token sent is not it"));
  }

  private static String needed(Access access) {
    return switch (access) {
      case ADMIN -> "the admin token";
      case CLUSTER -> "the cluster token";
      case DATA, READ -> "the client token";
    };
  }
}
