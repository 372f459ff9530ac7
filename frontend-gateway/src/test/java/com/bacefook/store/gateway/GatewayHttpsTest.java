package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of a secure cluster: it serves HTTPS only with {@code --https-cert/--https-key},
 * and reaches the cluster over TLS with its certificate and tokens.
 */
class GatewayHttpsTest {
  private MiniCluster cluster;
  private GatewayServer gateway;
  private TestCertificates certificates;

  @BeforeEach
  void start() {
    cluster = MiniCluster.startSecure(ShardkvServer.Options.DEFAULT);
    cluster.startAndJoin();
    certificates = cluster.security().orElseThrow().certificates();
    HttpsFiles https =
        HttpsFiles.load(certificates.files("server").cert(), certificates.files("server").key());
    gateway =
        GatewayServer.start(
            cluster.shardmasterAddress(),
            new GatewayOptions(null, 0, Set.of(), Set.of(), https),
            cluster.clientSecurity());
  }

  @AfterEach
  void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void servesTheApiOverHttpsAndWritesThroughTheSecureCluster() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustingTheCa()).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> answer =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + "/addUser"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"user_5\",\"userName\":\"Ada\"}"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(cluster.newStoreClient().get("user_5").value()).isEqualTo("Ada");
    assertThat(gateway.url()).startsWith("https://");
  }

  @Test
  void refusesPlainHttp() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.port() + "/")).timeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(() -> {
          HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).isGreaterThanOrEqualTo(400);
          throw new IOException("answered " + answer.statusCode());
        })
        .isInstanceOf(IOException.class);
  }

  private SSLContext trustingTheCa() throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(certificates.caFile())) {
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
