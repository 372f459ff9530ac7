package com.bacefook.store.security;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A process's TLS material, PEM files: its certificate chain and private key (PKCS#8), and the CA that
 * signs every certificate of the cluster. Loaded and checked at once, so a missing file, a key that
 * does not fit the certificate or an expired certificate stops the process with one line.
 *
 * @param cert the certificate chain, leaf first (null for a client without a certificate)
 * @param key the private key of {@code cert} (null exactly when {@code cert} is)
 * @param ca the certificates trusted to sign peers' certificates
 */
public record TlsFiles(Path cert, Path key, Path ca) {
  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

  /**
   * Checks the combination.
   *
   * @throws IllegalArgumentException if the CA is missing, or only one of cert and key is given
   */
  public TlsFiles {
    if (ca == null) {
      throw new IllegalArgumentException("TLS needs --tls-ca FILE (the CA that signs the cluster's certificates)");
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
  }

  /**
   * Returns server credentials that present this certificate and require clients to present one
   * signed by the CA.
   *
   * @throws IllegalArgumentException if there is no certificate, or a file is unusable
   */
  public ServerCredentials serverCredentials() {
    if (cert == null) {
      throw new IllegalArgumentException("a TLS server needs --tls-cert FILE and --tls-key FILE");
    }
    return TlsServerCredentials.newBuilder()
        .keyManager(keyManagers())
        .trustManager(trustManagers())
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
  }

  /**
   * Returns channel credentials that trust servers signed by the CA and present this certificate, if
   * there is one.
   *
   * @throws IllegalArgumentException if a file is unusable
   */
  public ChannelCredentials channelCredentials() {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder().trustManager(trustManagers());
    if (cert != null) {
      builder.keyManager(keyManagers());
    }
    return builder.build();
  }

  /**
   * Returns an in-memory key store holding the certificate and key under alias {@code "key"}, with
   * password {@link #keyStorePassword()}, for servers configured by key store (Jetty).
   *
   * @throws IllegalArgumentException if there is no certificate, or a file is unusable
   */
  public KeyStore keyStore() {
    if (cert == null) {
      throw new IllegalArgumentException("serving TLS needs a certificate and key");
    }
    return keyStore(cert, key);
  }

  /**
   * Returns an in-memory key store holding the PEM certificate chain {@code cert} and its PKCS#8 key
   * {@code key}, as {@link #keyStore()} does, for servers that need no CA (HTTPS).
   *
   * @throws IllegalArgumentException if a file is unusable, expired or the key does not fit
   */
  public static KeyStore keyStore(Path cert, Path key) {
    X509Certificate[] chain = certificates(cert, "--tls-cert");
    PrivateKey privateKey = privateKey(chain[0], cert, key);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", privateKey, IN_MEMORY_PASSWORD, chain);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot hold " + cert + " in a key store: " + e.getMessage());
    }
  }

  /** Returns the password of {@link #keyStore()}: it only ever lives in memory. */
  public static String keyStorePassword() {
    return new String(IN_MEMORY_PASSWORD);
  }

  private KeyManager[] keyManagers() {
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keyStore(), IN_MEMORY_PASSWORD);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509ExtendedKeyManager x509) {
          return new KeyManager[] {new PresentingKeyManager(x509)};
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedKeyManager");
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use " + cert + ": " + e.getMessage());
    }
  }

  private TrustManager[] trustManagers() {
    List<X509Certificate> authorities = Arrays.asList(certificates(ca, "--tls-ca"));
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return new TrustManager[] {new ExplainingTrustManager(x509, authorities, Clock.systemUTC())};
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot trust " + ca + ": " + e.getMessage());
    }
  }

  private static X509Certificate[] certificates(Path file, String flag) {
    X509Certificate[] chain;
    try (InputStream in = Files.newInputStream(file)) {
      chain = CertificateUtils.getX509Certificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(flag + " " + file + ": cannot read a PEM certificate: " + e.getMessage());
    }
    if (chain.length == 0) {
      throw new IllegalArgumentException(flag + " " + file + ": no PEM certificate in it");
    }
    try {
      chain[0].checkValidity(new Date());
    } catch (CertificateExpiredException e) {
      throw new IllegalArgumentException(flag + " " + file + ": certificate '"
          + chain[0].getSubjectX500Principal().getName() + "' expired on " + chain[0].getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new IllegalArgumentException(flag + " " + file + ": certificate '"
          + chain[0].getSubjectX500Principal().getName() + "' is not valid before "
          + chain[0].getNotBefore().toInstant());
    }
    return chain;
  }

  private static PrivateKey privateKey(X509Certificate leaf, Path cert, Path key) {
    PrivateKey privateKey;
    try (InputStream in = Files.newInputStream(key)) {
      privateKey = CertificateUtils.getPrivateKey(in);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--tls-key " + key + ": cannot read a PEM PKCS#8 private key: " + e.getMessage());
    }
    if (!fits(privateKey, leaf)) {
      throw new IllegalArgumentException("--tls-key " + key + " is not the key of --tls-cert " + cert);
    }
    return privateKey;
  }

  private static boolean fits(PrivateKey privateKey, X509Certificate leaf) {
    byte[] probe = "bacefook key check".getBytes(StandardCharsets.US_ASCII);
    String algorithm = privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + privateKey.getAlgorithm();
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
