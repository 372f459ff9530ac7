package com.bacefook.store.testkit;

import com.bacefook.store.security.Secret;
import com.bacefook.store.security.Security;
import com.bacefook.store.security.TlsFiles;
import com.bacefook.store.security.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A locked-down setup for one test cluster: fresh {@link TestCertificates} in a temporary folder and
 * three random tokens. Servers get the server certificate and all tokens; clients the client
 * certificate with the admin and client tokens (not the cluster token, which only servers hold).
 */
public final class TestSecurity implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final TestCertificates certificates;
  private final String adminToken = randomToken();
  private final String clusterToken = randomToken();
  private final String clientToken = randomToken();

  private TestSecurity(Path dir) {
    this.dir = dir;
    this.certificates = TestCertificates.create(dir);
  }

  /** Makes certificates and tokens in a new temporary folder, deleted by {@link #close()}. */
  public static TestSecurity create() {
    try {
      return new TestSecurity(Files.createTempDirectory("bacefook-tls"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a folder for test certificates", e);
    }
  }

  /** Returns a new random token (hex, 32 characters). */
  public static String randomToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Returns the certificates. */
  public TestCertificates certificates() {
    return certificates;
  }

  /** Returns the admin token. */
  public String adminToken() {
    return adminToken;
  }

  /** Returns the cluster token. */
  public String clusterToken() {
    return clusterToken;
  }

  /** Returns the client token. */
  public String clientToken() {
    return clientToken;
  }

  /** Returns what servers run with: the server certificate and all three tokens. */
  public Security server() {
    return new Security(
        Optional.of(certificates.files("server")),
        tokens(adminToken, clusterToken, clientToken));
  }

  /** Returns what clients run with: the client certificate, the admin and client tokens. */
  public Security client() {
    return new Security(Optional.of(certificates.files("client")), tokens(adminToken, null, clientToken));
  }

  /** Returns a client with the client certificate holding only the given tokens (null: none of that kind). */
  public Security client(String admin, String cluster, String client) {
    return new Security(Optional.of(certificates.files("client")), tokens(admin, cluster, client));
  }

  /** Returns a client presenting {@code tls} with the admin and client tokens. */
  public Security clientWith(TlsFiles tls) {
    return new Security(Optional.of(tls), tokens(adminToken, null, clientToken));
  }

  /** Returns tokens of the given values; null leaves that kind out. */
  public static Tokens tokens(String admin, String cluster, String client) {
    return new Tokens(
        Optional.ofNullable(admin).map(Secret::of),
        Optional.ofNullable(cluster).map(Secret::of),
        Optional.ofNullable(client).map(Secret::of));
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
