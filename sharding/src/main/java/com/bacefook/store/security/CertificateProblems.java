package com.bacefook.store.security;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns a refused certificate or a failed TLS handshake (or a plain-text client reset by a TLS server)
 * into one line that names the certificate and
 * says why: expired, not yet valid, issued by another CA, or not matching the host.
 */
public final class CertificateProblems {
  private static final Pattern ALERT =
      Pattern.compile("(?:Received fatal alert: |ALERT_)([A-Za-z_]+)");

  private CertificateProblems() {}

  /**
   * Returns why {@code chain} (leaf first) was refused, given the trusted {@code authorities} and the
   * validator's {@code failure}, checked at {@code now}.
   */
  public static String explain(
      X509Certificate[] chain, List<X509Certificate> authorities, Exception failure, Instant now) {
    if (chain == null || chain.length == 0) {
      return "no certificate was presented";
    }
    X509Certificate leaf = chain[0];
    String name = "certificate '" + leaf.getSubjectX500Principal().getName() + "'";
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      return name + " expired on " + leaf.getNotAfter().toInstant();
    } catch (CertificateNotYetValidException e) {
      return name + " is not valid before " + leaf.getNotBefore().toInstant();
    }
    if (!signedByOneOf(chain[chain.length - 1], authorities)) {
      return name + " is issued by '" + chain[chain.length - 1].getIssuerX500Principal().getName()
          + "', not by the trusted CA (--tls-ca)";
    }
    String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (detail.contains("subject alternative") || detail.contains("match")) {
      return name + " does not match the address dialled: " + detail;
    }
    return name + " refused: " + detail;
  }

  /**
   * Returns a one-line explanation if {@code failure} (or a cause of it) is a failed TLS handshake: a
   * certificate this side refused, one the peer refused, or a peer that does not speak TLS.
   */
  public static Optional<String> describeHandshakeFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RefusedCertificateException refused) {
        return Optional.of("TLS: " + refused.getMessage());
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException ssl) {
        return Optional.of(describe(ssl.getMessage() == null ? "" : ssl.getMessage()));
      }
      if (t.getMessage() != null && t.getMessage().contains("Connection reset by peer")) {
        return Optional.of("the peer reset the connection; if it uses TLS, give --tls-ca (and --tls-cert/--tls-key)");
      }
    }
    return Optional.empty();
  }

  private static String describe(String message) {
    if (message.contains("CERTIFICATE_REQUIRED")) {
      return "TLS: the peer requires a client certificate signed by its CA: give --tls-cert and --tls-key";
    }
    Matcher alert = ALERT.matcher(message);
    if (alert.find()) {
      return "TLS: the peer refused our certificate (" + alert.group(1).toLowerCase(Locale.ROOT)
          + "): check --tls-cert is signed by the cluster's CA and not expired";
    }
    if (message.contains("not an SSL/TLS record") || message.contains("Unrecognized SSL message")) {
      return "TLS: the peer does not speak TLS (start it with --tls-cert/--tls-key/--tls-ca)";
    }
    return "TLS handshake failed: " + message;
  }

  private static boolean signedByOneOf(X509Certificate cert, List<X509Certificate> authorities) {
    for (X509Certificate authority : authorities) {
      try {
        cert.verify(authority.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        if (cert.equals(authority)) {
          return true;
        }
      }
    }
    return false;
  }
}
