package com.bacefook.store.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CommandBatcherTest {
  /** A committer whose batches the test completes by hand, in any order. */
  private static final class HandCommitter {
    final List<List<byte[]>> batches = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<List<byte[]>>> commits =
        Collections.synchronizedList(new ArrayList<>());

    CompletableFuture<List<byte[]>> commit(List<byte[]> commands) {
      CompletableFuture<List<byte[]>> commit = new CompletableFuture<>();
      batches.add(commands);
      commits.add(commit);
      return commit;
    }

    /** Answers batch {@code i} with each command upper-cased. */
    void answer(int i) {
      commits.get(i).complete(batches.get(i).stream().map(c -> upper(c)).toList());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static byte[] upper(byte[] command) {
    return new String(command, UTF_8).toUpperCase().getBytes(UTF_8);
  }

  private static String get(CompletableFuture<byte[]> answer)
      throws InterruptedException, ExecutionException, TimeoutException {
    return new String(answer.get(5, TimeUnit.SECONDS), UTF_8);
  }

  @Test
  void aLoneCommandGoesAtOnceAndTheOnesWaitingMeanwhileGoTogether() throws Exception {
    HandCommitter committer = new HandCommitter();
    CommandBatcher batcher = new CommandBatcher(committer::commit, Runnable::run, 1, 100, 1000);

    CompletableFuture<byte[]> first = batcher.submit(bytes("a"));
    CompletableFuture<byte[]> second = batcher.submit(bytes("b"));
    CompletableFuture<byte[]> third = batcher.submit(bytes("c"));

    assertThat(committer.batches).hasSize(1);
    assertThat(committer.batches.get(0)).hasSize(1);
    committer.answer(0);
    assertThat(get(first)).isEqualTo("A");
    assertThat(committer.batches).hasSize(2);
    assertThat(committer.batches.get(1)).extracting(b -> new String(b, UTF_8)).containsExactly("b", "c");
    assertThat(second).isNotDone();
    committer.answer(1);
    assertThat(get(second)).isEqualTo("B");
    assertThat(get(third)).isEqualTo("C");
  }

  @Test
  void keepsAtMostTheBatchesInFlightItIsAllowed() {
    HandCommitter committer = new HandCommitter();
    CommandBatcher batcher = new CommandBatcher(committer::commit, Runnable::run, 2, 100, 1000);

    for (String command : List.of("a", "b", "c", "d")) {
      batcher.submit(bytes(command));
    }

    assertThat(committer.batches).hasSize(2);
    committer.answer(1);
    assertThat(committer.batches).hasSize(3);
    assertThat(committer.batches.get(2)).hasSize(2);
  }

  @Test
  void splitsBatchesByCountAndBytesButSendsAnOversizedCommandAlone() {
    HandCommitter committer = new HandCommitter();
    CommandBatcher batcher = new CommandBatcher(committer::commit, Runnable::run, 1, 2, 15);

    batcher.submit(bytes("first"));
    batcher.submit(bytes("x"));
    batcher.submit(bytes("y"));
    batcher.submit(bytes("z"));
    batcher.submit(bytes("twelve bytes"));
    batcher.submit(bytes("w"));
    for (int i = 0; i < 4; i++) {
      committer.answer(i);
    }

    assertThat(committer.batches)
        .extracting(batch -> batch.stream().map(b -> new String(b, UTF_8)).toList())
        .containsExactly(
            List.of("first"), List.of("x", "y"), List.of("z"), List.of("twelve bytes"), List.of("w"));
  }

  @Test
  void aFailedBatchFailsEachOfItsCommandsAndTheNextStillGoes() throws Exception {
    HandCommitter committer = new HandCommitter();
    CommandBatcher batcher = new CommandBatcher(committer::commit, Runnable::run, 1, 100, 1000);

    CompletableFuture<byte[]> first = batcher.submit(bytes("a"));
    CompletableFuture<byte[]> second = batcher.submit(bytes("b"));
    committer.commits.get(0).completeExceptionally(new IllegalStateException("no leader"));

    assertThat(first).isCompletedExceptionally();
    assertThat(committer.batches).hasSize(2);
    committer.answer(1);
    assertThat(get(second)).isEqualTo("B");
  }

  @Test
  void aCommitterThatAnswersTooFewFailsTheBatch() {
    CommandBatcher batcher =
        new CommandBatcher(
            commands -> CompletableFuture.completedFuture(List.of()), Runnable::run, 1, 100, 1000);

    assertThat(batcher.submit(bytes("a"))).isCompletedExceptionally();
  }

  @Test
  void dropsCommandsWhoseCallersGaveUpBeforeTheirBatchWasTaken() throws Exception {
    HandCommitter committer = new HandCommitter();
    CommandBatcher batcher = new CommandBatcher(committer::commit, Runnable::run, 1, 100, 1000);

    batcher.submit(bytes("a"));
    CompletableFuture<byte[]> abandoned = batcher.submit(bytes("b"));
    CompletableFuture<byte[]> kept = batcher.submit(bytes("c"));
    abandoned.completeExceptionally(new IOException("timed out"));
    committer.answer(0);

    assertThat(committer.batches.get(1)).extracting(b -> new String(b, UTF_8)).containsExactly("c");
    committer.answer(1);
    assertThat(get(kept)).isEqualTo("C");
  }

  @Test
  void closingFailsWaitingAndLaterCommandsAtOnceAndStillAnswersTheBatchInFlight()
      throws Exception {
    HandCommitter committer = new HandCommitter();
    CommandBatcher batcher = new CommandBatcher(committer::commit, Runnable::run, 1, 100, 1000);
    CompletableFuture<byte[]> inFlight = batcher.submit(bytes("a"));
    CompletableFuture<byte[]> waiting = batcher.submit(bytes("b"));

    batcher.close(new IOException("closing"));

    assertThat(waiting).isCompletedExceptionally();
    assertThat(batcher.submit(bytes("c"))).isCompletedExceptionally();
    committer.answer(0);
    assertThat(get(inFlight)).isEqualTo("A");
    assertThat(committer.batches).hasSize(1);
  }

  @Test
  void aStoppedExecutorStillAnswersTheBatch() throws Exception {
    HandCommitter committer = new HandCommitter();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    executor.shutdown();
    CommandBatcher batcher = new CommandBatcher(committer::commit, executor, 1, 100, 1000);

    CompletableFuture<byte[]> answer = batcher.submit(bytes("a"));
    committer.answer(0);

    assertThat(get(answer)).isEqualTo("A");
  }

  @Test
  void manyThreadsGetEveryAnswerAndNoBatchIsSentBeforeItsCommandsArrived() throws Exception {
    int threads = 16;
    int perThread = 2_000;
    int maxInFlight = 2;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    AtomicLong sentBeforeArrival = new AtomicLong();
    ExecutorService completions = Executors.newFixedThreadPool(3);
    ExecutorService ends = Executors.newSingleThreadExecutor();
    // Each command carries the time it was submitted; a batch is sent after all of them.
    Function<List<byte[]>, CompletableFuture<List<byte[]>>> committer =
        commands -> {
          long sent = System.nanoTime();
          mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          for (byte[] command : commands) {
            if (ByteBuffer.wrap(command).getLong(0) > sent) {
              sentBeforeArrival.incrementAndGet();
            }
          }
          return CompletableFuture.supplyAsync(
              () -> {
                inFlight.decrementAndGet();
                return commands;
              },
              completions);
        };
    CommandBatcher batcher = new CommandBatcher(committer, ends, maxInFlight, 64, 1 << 20);
    ExecutorService clients = Executors.newFixedThreadPool(threads);
    try {
      List<CompletableFuture<Boolean>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            CompletableFuture.supplyAsync(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    byte[] command = ByteBuffer.allocate(8).putLong(System.nanoTime()).array();
                    byte[] answer = batcher.submit(command).join();
                    if (!Arrays.equals(answer, command)) {
                      return false;
                    }
                  }
                  return true;
                },
                clients));
      }
      for (CompletableFuture<Boolean> worker : workers) {
        assertThat(worker.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      clients.shutdown();
      completions.shutdown();
      ends.shutdown();
    }
    assertThat(sentBeforeArrival.get()).isZero();
    assertThat(mostInFlight.get()).isLessThanOrEqualTo(maxInFlight);
  }
}
