package com.bacefook.store.testkit;

import com.bacefook.store.security.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * Certificates made for a test, as PEM files in a folder: a CA and, signed by it, certificates for
 * 127.0.0.1 and localhost (one for servers, one for clients, one that expired yesterday, one for
 * another address), plus a second CA that nobody trusts and a certificate it signed.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final Path dir;
  private final Issuer ca;
  private final Issuer otherCa;

  private record Issuer(X500Name name, KeyPair keys, Path certFile) {}

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.ca = authority("ca", "Bacefook test CA");
    this.otherCa = authority("other-ca", "Some other CA");
  }

  /**
   * Makes the certificates in {@code dir}: the CA, {@code server} and {@code client} (valid for a day),
   * {@code expired}, {@code wrong-host} (for 10.255.255.1 only) and {@code other} (from another CA).
   */
  public static TestCertificates create(Path dir) {
    TestCertificates certificates = new TestCertificates(dir);
    Instant now = Instant.now();
    Duration day = Duration.ofDays(1);
    certificates.leaf("server", certificates.ca, now.minus(day), now.plus(day), "127.0.0.1", "localhost");
    certificates.leaf("client", certificates.ca, now.minus(day), now.plus(day), "127.0.0.1", "localhost");
    certificates.leaf("expired", certificates.ca, now.minus(day.multipliedBy(3)), now.minus(day), "127.0.0.1");
    certificates.leaf("wrong-host", certificates.ca, now.minus(day), now.plus(day), "10.255.255.1");
    certificates.leaf("other", certificates.otherCa, now.minus(day), now.plus(day), "127.0.0.1", "localhost");
    return certificates;
  }

  /** Returns the CA's certificate file. */
  public Path caFile() {
    return ca.certFile();
  }

  /** Returns the certificate {@code name} (see {@link #create}) and its key, trusting the CA. */
  public TlsFiles files(String name) {
    return new TlsFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), ca.certFile());
  }

  /** Returns TLS files that trust the CA and present no certificate. */
  public TlsFiles caOnly() {
    return new TlsFiles(null, null, ca.certFile());
  }

  private Issuer authority(String file, String commonName) {
    KeyPair keys = newKeys();
    X500Name name = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name, serial(), Date.from(now.minus(Duration.ofDays(3))), Date.from(now.plus(Duration.ofDays(3))),
            name, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path certFile = dir.resolve(file + ".crt");
    write(certFile, sign(builder, keys));
    return new Issuer(name, keys, certFile);
  }

  private void leaf(String file, Issuer issuer, Instant notBefore, Instant notAfter, String... hosts) {
    KeyPair keys = newKeys();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer.name(), serial(), Date.from(notBefore), Date.from(notAfter),
            new X500Name("CN=" + file), keys.getPublic());
    GeneralName[] names = new GeneralName[hosts.length];
    for (int i = 0; i < hosts.length; i++) {
      names[i] =
          new GeneralName(Character.isDigit(hosts[i].charAt(0)) ? GeneralName.iPAddress : GeneralName.dNSName, hosts[i]);
    }
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(dir.resolve(file + ".crt"), sign(builder, issuer.keys()));
    try {
      write(dir.resolve(file + ".key"), new JcaPKCS8Generator(keys.getPrivate(), null));
    } catch (PemGenerationException e) {
      throw new IllegalStateException("cannot encode a test key", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC key generator", e);
    }
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static void write(Path file, Object pemObject) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(pemObject);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
