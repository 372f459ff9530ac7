package com.bacefook.store.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.sharding.Configuration;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShardmasterConfigurationSourceTest {
  private final AtomicInteger queries = new AtomicInteger();
  private final CountDownLatch answer = new CountDownLatch(1);
  private final AtomicReference<Status> failure = new AtomicReference<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private Server server;
  private ManagedChannel channel;
  private ShardmasterConfigurationSource source;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new ShardmasterGrpc.ShardmasterImplBase() {
                  @Override
                  public void query(Empty request, StreamObserver<QueryResponse> response) {
                    int n = queries.incrementAndGet();
                    try {
                      answer.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    if (failure.get() != null) {
                      response.onError(failure.get().asRuntimeException());
                      return;
                    }
                    response.onNext(QueryResponse.newBuilder().setConfigNum(n).build());
                    response.onCompleted();
                  }
                })
            .executor(threads)
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    source = new ShardmasterConfigurationSource(new ShardmasterClient(channel));
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    threads.shutdownNow();
  }

  @Test
  void concurrentRefreshesShareTheQueryInFlight() throws Exception {
    List<Future<Configuration>> callers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      callers.add(threads.submit(source::refresh));
    }
    waitUntilAsked();
    answer.countDown();

    for (Future<Configuration> caller : callers) {
      Configuration got = caller.get(10, TimeUnit.SECONDS);
      assertThat(got.number()).isGreaterThanOrEqualTo(1);
    }
    assertThat(queries.get()).isLessThan(4);
    assertThat(source.current().number()).isEqualTo(queries.get());
    source.refresh();
    assertThat(source.current().number()).isEqualTo(queries.get());
  }

  @Test
  void aFailedQueryFailsItsCallersAndTheNextRefreshAsksAgain() {
    failure.set(Status.UNAVAILABLE.withDescription("down"));
    answer.countDown();

    assertThatThrownBy(source::refresh)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(source.current()).isEqualTo(Configuration.EMPTY);

    failure.set(null);
    assertThat(source.refresh().number()).isEqualTo(2);
  }

  private void waitUntilAsked() {
    await().atMost(Duration.ofSeconds(10)).until(() -> queries.get() > 0);
  }
}
