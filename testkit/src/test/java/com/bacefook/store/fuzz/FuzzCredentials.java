package com.bacefook.store.fuzz;

import com.bacefook.store.security.Access;
import com.bacefook.store.security.MethodAccess;
import com.bacefook.store.security.TokenInterceptor;
import com.bacefook.store.testkit.TestSecurity;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Optional;

/**
 * On a secure cluster, the {@code authorization} header of each fuzzed request, drawn from the seeded
 * inputs: mostly the token its method needs, otherwise none, another scheme, a random token or a token
 * of another kind, each with the one status it must get.
 */
final class FuzzCredentials {
  /** The header to send and, if it must be refused, the status it must get. */
  record Choice(Metadata headers, Optional<Status.Code> refusal) {}

  /** The prefix of an RPC name that carries the mark of a GDPR erase. */
  static final String ERASING = "Erasing";

  private final TestSecurity security;

  FuzzCredentials(TestSecurity security) {
    this.security = security;
  }

  /**
   * Chooses the header for {@code rpc} (as the fuzzer names it) sent to the shardmaster or a server;
   * {@code Erasing<Rpc>} is {@code <Rpc>} with the mark of a GDPR erase, which needs more than a client.
   */
  Choice choose(FuzzInputs in, String rpc, boolean toShardmaster) {
    boolean marked = rpc.startsWith(ERASING);
    String method = (toShardmaster ? "Shardmaster/" : "Shardkv/") + (marked ? rpc.substring(ERASING.length()) : rpc);
    Access access = MethodAccess.of(method, marked);
    int draw = rpc.equals("Move") ? 7 : in.nextInt(8);
    Metadata headers = new Metadata();
    return switch (draw) {
      case 0 -> new Choice(headers, Optional.of(Status.Code.UNAUTHENTICATED));
      case 1 -> choice(headers, "Basic " + randomHex(in), Optional.of(Status.Code.UNAUTHENTICATED));
      case 2 -> choice(headers, "Bearer " + randomHex(in), Optional.of(Status.Code.PERMISSION_DENIED));
      case 3 -> switch (access) {
        case ADMIN -> choice(headers, "Bearer " + security.clusterToken(), Optional.of(Status.Code.PERMISSION_DENIED));
        case CLUSTER -> choice(headers, "Bearer " + security.clientToken(), Optional.of(Status.Code.PERMISSION_DENIED));
        case DATA, READ -> choice(headers, "Bearer " + security.adminToken(), Optional.empty());
      };
      default -> choice(headers, "Bearer " + rightToken(access), Optional.empty());
    };
  }

  private String rightToken(Access access) {
    return switch (access) {
      case ADMIN -> security.adminToken();
      case CLUSTER -> security.clusterToken();
      case DATA, READ -> security.clientToken();
    };
  }

  private static Choice choice(Metadata headers, String authorization, Optional<Status.Code> refusal) {
    headers.put(TokenInterceptor.AUTHORIZATION, authorization);
    return new Choice(headers, refusal);
  }

  private static String randomHex(FuzzInputs in) {
    return Integer.toHexString(in.nextInt(Integer.MAX_VALUE)) + Integer.toHexString(in.nextInt(Integer.MAX_VALUE));
  }
}
