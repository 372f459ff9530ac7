package com.bacefook.store.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class CertificateProblemsTest {
  @Test
  void namesWhatThePeerSaidAboutOurCertificate() {
    Throwable failure =
        Status.UNAVAILABLE.withCause(new SSLHandshakeException("Received fatal alert: bad_certificate")).asRuntimeException();
    assertThat(CertificateProblems.describeHandshakeFailure(failure))
        .hasValue("TLS: the peer refused our certificate (bad_certificate): check --tls-cert is signed by the"
            + " cluster's CA and not expired");
  }

  @Test
  void saysWhenThePeerWantsACertificateOrDoesNotSpeakTls() {
    assertThat(CertificateProblems.describeHandshakeFailure(
            new SSLHandshakeException("error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED")))
        .hasValueSatisfying(line -> assertThat(line).contains("requires a client certificate"));
    assertThat(CertificateProblems.describeHandshakeFailure(
            new SSLHandshakeException("not an SSL/TLS record: 0000")))
        .hasValueSatisfying(line -> assertThat(line).contains("does not speak TLS"));
    assertThat(CertificateProblems.describeHandshakeFailure(
            new IOException("recvAddress(..) failed with error(-104): Connection reset by peer")))
        .hasValueSatisfying(line -> assertThat(line).contains("if it uses TLS, give --tls-ca"));
  }

  @Test
  void prefersOurOwnRefusalAnywhereInTheChain() {
    Throwable failure = new SSLHandshakeException("General OpenSslEngine problem");
    failure.initCause(new RefusedCertificateException("certificate 'CN=x' expired on 2020-01-01T00:00:00Z", null));
    assertThat(CertificateProblems.describeHandshakeFailure(failure))
        .hasValue("TLS: certificate 'CN=x' expired on 2020-01-01T00:00:00Z");
    assertThat(CertificateProblems.describeHandshakeFailure(new IllegalStateException("x"))).isEmpty();
  }
}
