package com.bacefook.store.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.bacefook.store.metrics.MetricsEndpoint;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.rpc.ChannelFactory;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.shardmaster.ShardmasterServer;
import com.bacefook.store.testkit.FreePorts;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.TestCertificates;
import com.bacefook.store.testkit.TestSecurity;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * TLS refusals, both ways: a plaintext client, a client certificate from another CA and an expired one
 * are refused by a secure cluster, which logs one line naming the certificate and why, and writes
 * nothing; a client refuses a server whose certificate comes from another CA or names another host,
 * and a server will not start on an expired certificate.
 */
class TlsRefusalTest {
  private static final JoinRequest JOIN = JoinRequest.newBuilder().setServer("127.0.0.1:1").build();

  private MiniCluster cluster;
  private TestSecurity security;
  private TestCertificates certificates;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger trustLog = (Logger) LoggerFactory.getLogger(ExplainingTrustManager.class);

  @BeforeEach
  void startCluster() {
    cluster = MiniCluster.startSecure(ShardkvServer.Options.DEFAULT);
    security = cluster.security().orElseThrow();
    certificates = security.certificates();
    logged.start();
    trustLog.addAppender(logged);
  }

  @AfterEach
  void stopCluster() {
    trustLog.detachAppender(logged);
    cluster.close();
  }

  @Test
  void aPlaintextClientIsRefusedAndWritesNothing() {
    Security plaintextAdmin = new Security(Optional.empty(), TestSecurity.tokens(security.adminToken(), null, null));

    StatusRuntimeException refused = joinThrough(plaintextAdmin.channelCredentials());

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(cluster.shardmasterClient().query().number()).isZero();
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedWithOneLineOnEachSide() {
    StatusRuntimeException refused =
        joinThrough(withAdminToken(security.clientWith(certificates.files("other")).channelCredentials()));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(CertificateProblems.describeHandshakeFailure(refused))
        .hasValueSatisfying(line -> assertThat(line).startsWith("TLS: ").doesNotContain("\n"));
    assertThat(serverLines())
        .singleElement()
        .asString()
        .contains("refused a TLS client: certificate 'CN=other' is issued by 'CN=Some other CA'");
    assertThat(cluster.shardmasterClient().query().number()).isZero();
  }

  @Test
  void anExpiredClientCertificateIsRefusedWithOneLineOnTheServer() throws IOException {
    ChannelCredentials expired =
        TlsChannelCredentials.newBuilder()
            .keyManager(
                certificates.files("expired").cert().toFile(), certificates.files("expired").key().toFile())
            .trustManager(certificates.caFile().toFile())
            .build();

    StatusRuntimeException refused = joinThrough(withAdminToken(expired));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(serverLines()).singleElement().asString().contains("certificate 'CN=expired' expired on ");
    assertThat(cluster.shardmasterClient().query().number()).isZero();
  }

  @Test
  void aClientWillNotLoadItsOwnExpiredCertificate() {
    assertThatThrownBy(() -> security.clientWith(certificates.files("expired")).channelCredentials())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tls-cert")
        .hasMessageContaining("certificate 'CN=expired' expired on ");
  }

  @Test
  void aServerWillNotStartOnAnExpiredCertificate() {
    assertThatThrownBy(() -> certificates.files("expired").serverCredentials())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("certificate 'CN=expired' expired on ");
  }

  @Test
  void aClientRefusesAServerWhoseCertificateComesFromAnotherCa() throws IOException {
    StatusRuntimeException refused = joinImpostor("other");

    assertThat(CertificateProblems.describeHandshakeFailure(refused))
        .hasValue("TLS: certificate 'CN=other' is issued by 'CN=Some other CA', not by the trusted CA (--tls-ca)");
  }

  @Test
  void aClientRefusesAServerWhoseCertificateNamesAnotherHost() throws IOException {
    StatusRuntimeException refused = joinImpostor("wrong-host");

    assertThat(CertificateProblems.describeHandshakeFailure(refused))
        .hasValueSatisfying(
            line -> assertThat(line).startsWith("TLS: certificate 'CN=wrong-host' does not match the address dialled"));
  }

  /** Starts a shardmaster presenting certificate {@code name}, and joins through it as a proper client. */
  private StatusRuntimeException joinImpostor(String name) throws IOException {
    Security impostor = new Security(Optional.of(certificates.files(name)), security.server().tokens());
    int port = FreePorts.next();
    ShardmasterServer server =
        new ShardmasterServer(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), impostor.serverCredentials()),
                null,
                MetricsEndpoint.disabled(),
                impostor)
            .start();
    try {
      return join(security.client().channelFactory(), "127.0.0.1:" + port);
    } finally {
      server.close();
    }
  }

  private ChannelCredentials withAdminToken(ChannelCredentials transport) {
    return CompositeChannelCredentials.create(
        transport, new BearerCredentials(TestSecurity.tokens(security.adminToken(), null, null)));
  }

  private StatusRuntimeException joinThrough(ChannelCredentials credentials) {
    return join(
        ChannelFactory.secured(credentials, ChannelFactory.DEFAULT_MAX_INBOUND_BYTES), cluster.shardmasterAddress());
  }

  private static StatusRuntimeException join(ChannelFactory factory, String address) {
    ManagedChannel channel = factory.create(address);
    try {
      ShardmasterGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).join(JOIN);
      throw new AssertionError("the join went through");
    } catch (StatusRuntimeException e) {
      return e;
    } finally {
      channel.shutdownNow();
    }
  }

  private List<String> serverLines() {
    return logged.list.stream()
        .filter(e -> e.getFormattedMessage().startsWith("refused a TLS client"))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
