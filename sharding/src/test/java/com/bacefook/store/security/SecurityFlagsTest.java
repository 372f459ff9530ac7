package com.bacefook.store.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityFlagsTest {
  @TempDir Path dir;

  @Test
  void takesTheSecurityOptionsOutAndLeavesTheRestInOrder() throws IOException {
    Path admin = Files.writeString(dir.resolve("admin"), "s3cret\n");
    SecurityFlags flags =
        SecurityFlags.parse(new String[] {"9090", "--admin-token-file", admin.toString(), "--data-dir", "d"}, Map.of());

    assertThat(flags.rest()).containsExactly("9090", "--data-dir", "d");
    assertThat(flags.security().tokens().admin()).hasValueSatisfying(s -> assertThat(s.matches("s3cret")).isTrue());
    assertThat(flags.security().tokens().cluster()).isEmpty();
    assertThat(flags.security().tls()).isEmpty();
  }

  @Test
  void readsATokenFromTheEnvironmentWhenNoFileIsGiven() {
    SecurityFlags flags = SecurityFlags.parse(new String[] {}, Map.of("BACEFOOK_CLUSTER_TOKEN", "c1"));
    assertThat(flags.security().tokens().cluster()).hasValueSatisfying(s -> assertThat(s.matches("c1")).isTrue());
  }

  @Test
  void refusesATokenValueOnTheCommandLine() {
    assertThatThrownBy(() -> SecurityFlags.parse(new String[] {"--admin-token", "s3cret"}, Map.of()))
        .hasMessage("--admin-token: tokens are never taken from the command line; use --admin-token-file FILE"
            + " or the BACEFOOK_ADMIN_TOKEN environment variable");
  }

  @Test
  void refusesAnEmptyOrMissingTokenFileAndHalfATlsSetup() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> SecurityFlags.parse(new String[] {"--client-token-file", empty.toString()}, Map.of()))
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> SecurityFlags.parse(new String[] {"--client-token-file", "/no/such"}, Map.of()))
        .hasMessageStartingWith("cannot read token file /no/such");
    assertThatThrownBy(() -> SecurityFlags.parse(new String[] {"--tls-cert", "c.pem"}, Map.of()))
        .hasMessageContaining("--tls-ca");
    assertThatThrownBy(() -> SecurityFlags.parse(new String[] {"--tls-cert", "c", "--tls-ca", "a"}, Map.of()))
        .hasMessage("--tls-cert and --tls-key go together");
  }

  @Test
  void aSecretNeverShowsItself() {
    assertThat(Secret.of("s3cret")).hasToString("Secret[hidden]");
    assertThat(Secret.of("s3cret").matches("s3cret")).isTrue();
    assertThat(Secret.of("s3cret").matches("s3cret ")).isFalse();
    assertThatThrownBy(() -> Secret.of("two words")).hasMessageContaining("without spaces");
  }

  @Test
  void anOpenServerWarnsInOneLineSayingWhatIsOpenAndALockedOneSaysNothing() {
    assertThat(Security.NONE.exposureWarning("shardkv a:1"))
        .hasValueSatisfying(line -> assertThat(line)
            .startsWith("shardkv a:1 listens on all interfaces with no TLS")
            .contains("open admin RPCs", "open server-to-server RPCs")
            .doesNotContain("\n"));
    Tokens all = new Tokens(Optional.of(Secret.of("a")), Optional.of(Secret.of("b")), Optional.of(Secret.of("c")));
    Security locked = new Security(Optional.of(new TlsFiles(Path.of("s.crt"), Path.of("s.key"), Path.of("ca.crt"))), all);
    assertThat(locked.exposureWarning("shardkv a:1")).isEmpty();
    assertThat(new Security(Optional.empty(), all).exposureWarning("shardkv a:1"))
        .hasValueSatisfying(line -> assertThat(line).contains("no TLS").doesNotContain("open admin"));
  }
}
