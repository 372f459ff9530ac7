package com.bacefook.store.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    CommandBatcher batcher = new CommandBatcher(committer::commit, Runnable::run, 1, 2, 10);

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
}
