package com.bacefook.store.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenCheckTest {
  private static final Tokens ALL =
      new Tokens(Optional.of(Secret.of("adm1n")), Optional.of(Secret.of("clust3r")), Optional.of(Secret.of("cl1ent")));
  private final TokenCheck check = new TokenCheck(ALL);

  private Optional<Status.Code> code(Access access, String header) {
    return check.check("Svc/M", access, header).map(Status::getCode);
  }

  @Test
  void aMissingOrMalformedHeaderIsUnauthenticated() {
    for (Access access : Access.values()) {
      assertThat(code(access, null)).contains(Status.Code.UNAUTHENTICATED);
      assertThat(code(access, "Basic adm1n")).contains(Status.Code.UNAUTHENTICATED);
      assertThat(code(access, "Bearer ")).contains(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void aWrongTokenIsPermissionDeniedAndTheMessageRevealsNothing() {
    Status refusal = check.check("Shardmaster/Join", Access.ADMIN, "Bearer adm1").orElseThrow();
    assertThat(refusal.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(refusal.getDescription())
        .isEqualTo("Shardmaster/Join needs the admin token; the token sent is not it")
        .doesNotContain("adm1n");
  }

  @Test
  void adminAndClusterMethodsTakeOnlyTheirOwnToken() {
    assertThat(code(Access.ADMIN, "Bearer adm1n")).isEmpty();
    assertThat(code(Access.ADMIN, "Bearer clust3r")).contains(Status.Code.PERMISSION_DENIED);
    assertThat(code(Access.ADMIN, "Bearer cl1ent")).contains(Status.Code.PERMISSION_DENIED);
    assertThat(code(Access.CLUSTER, "bearer clust3r")).isEmpty();
    assertThat(code(Access.CLUSTER, "Bearer adm1n")).contains(Status.Code.PERMISSION_DENIED);
    assertThat(code(Access.CLUSTER, "Bearer cl1ent")).contains(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void readsAndKeyOperationsTakeAnyOfTheThreeOnceAClientTokenIsSet() {
    for (String token : new String[] {"adm1n", "clust3r", "cl1ent"}) {
      assertThat(code(Access.DATA, "Bearer " + token)).isEmpty();
      assertThat(code(Access.READ, "Bearer " + token)).isEmpty();
    }
  }

  @Test
  void whatHasNoTokenConfiguredStaysOpen() {
    TokenCheck adminOnly = new TokenCheck(new Tokens(Optional.of(Secret.of("adm1n")), Optional.empty(), Optional.empty()));
    assertThat(adminOnly.check("Shardkv/Get", Access.DATA, null)).isEmpty();
    assertThat(adminOnly.check("Shardkv/Status", Access.READ, "Bearer junk")).isEmpty();
    assertThat(adminOnly.check("Shardkv/HandoffPuts", Access.CLUSTER, null)).isEmpty();
    assertThat(adminOnly.check("Shardmaster/Leave", Access.ADMIN, null)).isPresent();
  }

  @Test
  void aClientSendsPerMethodTheTokenThatMethodNeeds() {
    Tokens cli = new Tokens(Optional.of(Secret.of("adm1n")), Optional.empty(), Optional.of(Secret.of("cl1ent")));
    assertThat(cli.toSend(Access.ADMIN)).hasValueSatisfying(s -> assertThat(s.matches("adm1n")).isTrue());
    assertThat(cli.toSend(Access.DATA)).hasValueSatisfying(s -> assertThat(s.matches("cl1ent")).isTrue());
    assertThat(cli.toSend(Access.CLUSTER)).isEmpty();
    assertThat(ALL.toSend(Access.DATA)).hasValueSatisfying(s -> assertThat(s.matches("clust3r")).isTrue());
  }
}
