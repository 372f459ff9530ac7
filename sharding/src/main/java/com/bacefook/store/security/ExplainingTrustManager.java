package com.bacefook.store.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts what the JDK's PKIX trust manager for the CA trusts (including host-name checks), and when it
 * refuses a peer logs one WARN line naming the certificate and why, and throws a {@link
 * RefusedCertificateException} carrying that line to the other side's error.
 */
final class ExplainingTrustManager extends X509ExtendedTrustManager {
  private static final Logger log = LoggerFactory.getLogger(ExplainingTrustManager.class);

  private final X509ExtendedTrustManager delegate;
  private final List<X509Certificate> authorities;
  private final Clock clock;

  ExplainingTrustManager(X509ExtendedTrustManager delegate, List<X509Certificate> authorities, Clock clock) {
    this.delegate = delegate;
    this.authorities = List.copyOf(authorities);
    this.clock = clock;
  }

  private interface Check {
    void run() throws CertificateException;
  }

  private void explained(String peer, X509Certificate[] chain, Check check) throws CertificateException {
    try {
      check.run();
    } catch (CertificateException e) {
      String reason = CertificateProblems.explain(chain, authorities, e, clock.instant());
      log.warn("refused a TLS {}: {}", peer, reason);
      throw new RefusedCertificateException(reason, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    explained("client", chain, () -> delegate.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    explained("client", chain, () -> delegate.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    explained("client", chain, () -> delegate.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    explained("server", chain, () -> delegate.checkServerTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    explained("server", chain, () -> delegate.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    explained("server", chain, () -> delegate.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
