package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health checks, Prometheus metrics and the Status RPC of real servers. */
class ObservabilityTest {
  private MiniCluster cluster;
  private String s1;

  @BeforeEach
  void start() {
    cluster = MiniCluster.start(ShardkvServer.Options.DEFAULT.withMetricsPort(0));
    s1 = cluster.startAndJoin();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void serversAndTheShardmasterAnswerTheStandardHealthCheck() {
    for (String address : new String[] {s1, cluster.shardmasterAddress()}) {
      HealthCheckResponse response =
          HealthGrpc.newBlockingStub(cluster.channels().channel(address))
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
      assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  @Test
  void metricsCountRequestsByMethodAndStatusAndReportKeysAndConfiguration() throws Exception {
    cluster.newStoreClient().put("user_5", "Eve", "");
    Servers servers = new Servers(cluster);
    servers.get(s1, "user_6"); // NOT_FOUND

    int port = cluster.server(s1).metricsPort();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    String body = response.body();
    assertThat(body).containsPattern("shardkv_keys\\{server=\"" + s1 + "\"} 1.0");
    assertThat(body).containsPattern("shardkv_config_number\\{server=\"" + s1 + "\"} 1.0");
    assertThat(body).containsPattern("shardkv_ranges\\{server=\"" + s1 + "\",state=\"serving\"} 1.0");
    assertThat(body).containsPattern("shardkv_ranges\\{server=\"" + s1 + "\",state=\"sending\"} 0.0");
    assertThat(body).containsPattern("shardkv_requests_served_total\\{server=\"" + s1 + "\"} [1-9]");
    assertThat(body).containsPattern("grpc_server_processing_duration_seconds_count\\{[^}]*method=\"Get\"[^}]*statusCode=\"NOT_FOUND\"");
    assertThat(body).containsPattern("grpc_server_processing_duration_seconds_count\\{[^}]*method=\"Put\"[^}]*statusCode=\"OK\"");
  }

  @Test
  void statusReportsWhatAServerHolds() {
    cluster.newStoreClient().put("post_7", "hello", "user_1");
    ServerStatus status = cluster.server(s1).status();
    assertThat(status.getServer()).isEqualTo(s1);
    assertThat(status.getConfigNum()).isEqualTo(1);
    assertThat(status.getKeys()).isEqualTo(2); // the post and user_1_posts
    assertThat(status.getWaitingForList()).isEmpty();
    assertThat(status.getDurable()).isFalse();
    assertThat(status.getRangesList())
        .singleElement()
        .satisfies(
            range -> {
              assertThat(range.getShard().getLower()).isZero();
              assertThat(range.getShard().getUpper()).isEqualTo(1000);
              assertThat(range.getState()).isEqualTo("serving");
            });
    assertThat(status.getRequestsServed()).isGreaterThanOrEqualTo(1);
  }
}
