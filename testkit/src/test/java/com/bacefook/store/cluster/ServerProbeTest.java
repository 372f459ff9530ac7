package com.bacefook.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.ServerProbe;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.GetResponse;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.testkit.FreePorts;
import com.bacefook.store.testkit.MiniCluster;
import com.google.protobuf.Empty;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link ServerProbe} says of real servers, of empty ports and of other gRPC servers. */
class ServerProbeTest {
  private MiniCluster cluster;
  private ServerProbe probe;
  private final List<Server> fakes = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = MiniCluster.start();
    probe = new ServerProbe(cluster.channels(), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Server fake : fakes) {
      fake.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    cluster.close();
  }

  /** Starts a gRPC server on {@code port} (0: any) of loopback with {@code services}. */
  private String startFake(int port, BindableService... services) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    for (BindableService service : services) {
      builder.addService(service);
    }
    try {
      Server server = builder.build().start();
      fakes.add(server);
      return "127.0.0.1:" + server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aShardkvServerPasses() {
    String server = cluster.startServer();

    assertThat(probe.problem(server)).isEmpty();
    assertThat(probe.report(server).health()).isEqualTo("SERVING");
    assertThat(probe.report(server).status()).isPresent();
  }

  @Test
  void anAddressWhereNothingListensIsNamed() {
    String nobody = "127.0.0.1:" + FreePorts.next();

    assertThat(probe.problem(nobody))
        .contains("nothing answers at " + nobody + " (connection refused)");
    assertThat(probe.report(nobody).health()).isEqualTo("UNAVAILABLE");
  }

  @Test
  void aServerThatStartsAfterAFailedProbePassesAtOnce() {
    int port = FreePorts.next();
    String address = "127.0.0.1:" + port;
    assertThat(probe.problem(address)).isPresent();

    startFake(port, new GetOnlyShardkv());

    assertThat(probe.problem(address)).isEmpty();
  }

  @Test
  void theShardmasterIsNotAShardkvServer() {
    String shardmaster = cluster.shardmasterAddress();

    assertThat(probe.problem(shardmaster))
        .contains(shardmaster + " answers gRPC but is not a shardkv server (no Shardkv service)");
  }

  @Test
  void aServerWithoutHealthOrStatusPassesIfItAnswersShardkvGet() {
    String original = startFake(0, new GetOnlyShardkv());

    assertThat(probe.problem(original)).isEmpty();
  }

  @Test
  void aServerThatIsNotServingIsRefused() {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.NOT_SERVING);
    String stopping = startFake(0, health.getHealthService(), new GetOnlyShardkv());

    assertThat(probe.problem(stopping))
        .contains(stopping + " answers but is NOT_SERVING (stopping or not ready)");
  }

  @Test
  void aServerThatDoesNotAnswerInTimeIsRefused() {
    HealthStatusManager health = new HealthStatusManager();
    String silent = startFake(0, health.getHealthService(), new SilentShardkv());
    ServerProbe impatient = new ServerProbe(cluster.channels(), Duration.ofMillis(500));

    assertThat(impatient.problem(silent)).contains(silent + " did not answer within 500 ms");
  }

  /** Like a server of the original system: Shardkv's Get, no health service, no Status. */
  private static final class GetOnlyShardkv extends ShardkvGrpc.ShardkvImplBase {
    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> response) {
      response.onNext(GetResponse.newBuilder().setData("").build());
      response.onCompleted();
    }
  }

  /** A Shardkv whose Status never answers. */
  private static final class SilentShardkv extends ShardkvGrpc.ShardkvImplBase {
    @Override
    public void status(Empty request, StreamObserver<ServerStatus> response) {
      // Never answers: the caller's deadline ends the call.
    }
  }
}
