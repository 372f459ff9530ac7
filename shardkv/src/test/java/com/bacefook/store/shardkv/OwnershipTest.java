package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.rpc.Refusals;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnershipTest {
  private static final Configuration C1 =
      new Configuration(1, List.of(new ServerRanges("a", List.of(ShardRange.ALL))));
  private static final Configuration C2 =
      new Configuration(
          2,
          List.of(
              new ServerRanges("a", List.of(new ShardRange(0, 500))),
              new ServerRanges("b", List.of(new ShardRange(501, 1000)))));
  private static final IdSet HIGH = IdSet.of(List.of(new ShardRange(501, 1000)));

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingPersistence persistence = new RecordingPersistence();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void servesOwnedKeysAndRefusesOthersNamingTheOwner() {
    Ownership a = ownership("a");
    a.advance(C1);
    a.advance(C2);

    assertThat(idOf(a, "user_5")).isEqualTo(5);
    StatusRuntimeException refused = refusal(() -> a.serve("user_700", id -> id));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(Refusals.ownerHint(refused)).contains("b");
    assertThat(Refusals.configNumber(refused)).isEqualTo(2);
  }

  @Test
  void refusesAWaitingKeyAsNotReadyNamingTheSender() {
    Ownership b = ownership("b");
    b.advance(C1);
    b.advance(C2);

    StatusRuntimeException refused = refusal(() -> b.serve("user_700", id -> id));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Refusals.isRefusal(refused)).isTrue();
    assertThat(refused.getStatus().getDescription()).contains("waiting for a");
  }

  @Test
  void eachStepIsWrittenBeforeItIsActedOn() {
    Ownership a = ownership("a");
    a.advance(C1);
    a.advance(C2);

    StateRecords.SavedOwnership saved = persistence.savedOwnership();
    assertThat(saved.applied()).isEqualTo(2);
    assertThat(persistence.state()).containsKey(StateRecords.outgoing(2, "b"));
    assertThat(persistence.syncedWrites()).isEqualTo(2);
  }

  @Test
  void aTimeoutIsDecidedOnTheInjectedClock() {
    Ownership b = ownership("b");
    b.advance(C1);
    b.advance(C2);
    Duration timeout = Duration.ofSeconds(10);

    ticker.advance(timeout);
    assertThat(b.expire(timeout)).isEmpty();
    ticker.advance(Duration.ofMillis(1));
    assertThat(b.expire(timeout)).containsExactly(new RangeTable.Handoff(2, "a", HIGH));
    assertThat(idOf(b, "user_700")).isEqualTo(700);
    assertThat(persistence.savedOwnership().pending()).isEmpty();
  }

  @Test
  void theLatestConfigurationNeverGoesBackwards() throws Exception {
    Ownership a = ownership("a");
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      writers.add(
          threads.submit(
              () -> {
                for (int n = 200; n >= 0; n--) {
                  a.heardOf(new Configuration(n * 4L + offset, List.of()));
                }
              }));
    }
    for (Future<?> writer : writers) {
      writer.get(10, TimeUnit.SECONDS);
    }
    assertThat(a.latest().number()).isEqualTo(803);
    a.heardOf(C1);
    assertThat(a.latest().number()).isEqualTo(803);
  }

  @Test
  void requestsForOtherRangesGoOnWhileAHandoffIsInstalled() throws Exception {
    // r serves [0,500] and waits for [501,1000] from a.
    Ownership receiver = ownership("r");
    receiver.advance(
        new Configuration(
            1,
            List.of(
                new ServerRanges("r", List.of(new ShardRange(0, 500))),
                new ServerRanges("a", List.of(new ShardRange(501, 1000))))));
    receiver.advance(new Configuration(2, List.of(new ServerRanges("r", List.of(ShardRange.ALL)))));
    CountDownLatch installing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> install =
        threads.submit(
            () ->
                receiver.install(
                    2,
                    "a",
                    HIGH,
                    served -> {
                      installing.countDown();
                      await(release);
                    },
                    new Changes()));
    assertThat(installing.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Integer> other =
        CompletableFuture.supplyAsync(() -> receiver.serve("user_5", id -> id), threads);
    assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    assertThat(refusal(() -> receiver.serve("user_700", id -> id)).getStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);

    release.countDown();
    install.get(10, TimeUnit.SECONDS);
    assertThat(idOf(receiver, "user_700")).isEqualTo(700);
  }

  @Test
  void aRestartedServerRestoresOnlyTheConfigurationItSaved() {
    Ownership a = ownership("a");
    a.advance(C1);
    a.advance(C2);
    Ownership restarted =
        new Ownership("a", true, persistence, persistence.savedOwnership(), ticker);

    assertThat(restarted.toRestore()).isEqualTo(2);
    assertThatThrownBy(() -> restarted.restore(C1, List.of()))
        .isInstanceOf(IllegalStateException.class);
    restarted.restore(C2, List.of(new RangeTable.Handoff(2, "b", HIGH)));
    assertThat(restarted.toRestore()).isEqualTo(-1);
    assertThat(restarted.table().sending()).containsExactly(new RangeTable.Handoff(2, "b", HIGH));
    assertThat(idOf(restarted, "user_5")).isEqualTo(5);
  }

  private static int idOf(Ownership ownership, String key) {
    Integer id = ownership.serve(key, served -> served);
    return id;
  }

  private Ownership ownership(String self) {
    return new Ownership(self, true, persistence, null, ticker);
  }

  private static StatusRuntimeException refusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
