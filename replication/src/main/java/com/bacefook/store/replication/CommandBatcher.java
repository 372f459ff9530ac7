package com.bacefook.store.replication;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Group commit for a replica group's log: the commands submitted while earlier batches are being
 * committed wait and go together in the next batch, so that under load one log entry carries the
 * writes of many concurrent clients, and under light load a command goes alone at once.
 *
 * <p>At most {@code maxInFlight} batches are being committed at a time; a batch holds at most
 * {@code maxCommands} commands and is at most {@code maxBytes} framed as a {@link CommandBatch} (a
 * larger command goes alone). Every
 * batch is started after each of its commands was submitted, which is what makes it right to share
 * one read barrier among the reads of a batch too.
 *
 * <p>What follows a committed batch (answering its commands, starting the next) runs on {@code
 * executor}, not on the thread that completed the commit: that may be the Raft server's own apply
 * thread, which must not wait for a new proposal (once the executor is shut down, it runs there).
 */
final class CommandBatcher {
  private record Pending(byte[] command, CompletableFuture<byte[]> answer) {}

  private final Function<List<byte[]>, CompletableFuture<List<byte[]>>> committer;
  private final Executor executor;
  private final int maxInFlight;
  private final int maxCommands;
  private final long maxBytes;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private int inFlight;
  /** Why the batcher was closed; null while open. */
  private IOException closed;

  /**
   * Creates a batcher handing each batch to {@code committer}, which answers each command of it in
   * order (or fails the whole batch), and carrying on after each on {@code executor}.
   */
  CommandBatcher(
      Function<List<byte[]>, CompletableFuture<List<byte[]>>> committer,
      Executor executor,
      int maxInFlight,
      int maxCommands,
      long maxBytes) {
    if (maxInFlight < 1 || maxCommands < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a batcher needs room for one batch of one command");
    }
    this.committer = committer;
    this.executor = executor;
    this.maxInFlight = maxInFlight;
    this.maxCommands = maxCommands;
    this.maxBytes = maxBytes;
  }

  /**
   * Queues {@code command} for the next batch; the future holds its answer once committed. A caller
   * that stops waiting should complete the future itself (exceptionally): a command whose future is
   * done before its batch is taken is dropped, never sent.
   */
  CompletableFuture<byte[]> submit(byte[] command) {
    Pending pending = new Pending(command, new CompletableFuture<>());
    List<Pending> batch;
    synchronized (this) {
      if (closed != null) {
        pending.answer().completeExceptionally(closed);
        return pending.answer();
      }
      waiting.add(pending);
      batch = inFlight < maxInFlight ? take() : null;
    }
    if (batch != null) {
      commit(batch);
    }
    return pending.answer();
  }

  /**
   * Fails every command still waiting, and every later one, with {@code why}; batches in flight
   * are answered as their commits complete.
   */
  void close(IOException why) {
    List<Pending> dropped;
    synchronized (this) {
      closed = why;
      dropped = new ArrayList<>(waiting);
      waiting.clear();
    }
    dropped.forEach(p -> p.answer().completeExceptionally(why));
  }

  /**
   * Takes the next batch off the queue, skipping commands whose callers gave up, and counts it in
   * flight; null if none is left (under the lock).
   */
  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>();
    long commandBytes = 0;
    while (!waiting.isEmpty() && batch.size() < maxCommands) {
      Pending next = waiting.peek();
      long size = next.command().length;
      if (!batch.isEmpty()
          && CommandBatch.framingBytes(batch.size() + 1) + commandBytes + size > maxBytes) {
        break;
      }
      waiting.poll();
      if (!next.answer().isDone()) {
        commandBytes += size;
        batch.add(next);
      }
    }
    if (batch.isEmpty()) {
      return null;
    }
    inFlight++;
    return batch;
  }

  private void commit(List<Pending> batch) {
    CompletableFuture<List<byte[]>> answers;
    try {
      answers = committer.apply(batch.stream().map(Pending::command).toList());
    } catch (RuntimeException e) {
      answers = CompletableFuture.failedFuture(e);
    }
    answers.whenComplete(
        (list, error) -> {
          try {
            executor.execute(() -> finish(batch, list, error));
          } catch (RejectedExecutionException stopped) {
            finish(batch, list, error);
          }
        });
  }

  /** Answers each command of a committed (or failed) batch and starts the next batch, if any. */
  private void finish(List<Pending> batch, List<byte[]> answers, Throwable error) {
    try {
      for (int i = 0; i < batch.size(); i++) {
        CompletableFuture<byte[]> answer = batch.get(i).answer();
        if (error != null) {
          answer.completeExceptionally(error);
        } else if (answers == null || answers.size() != batch.size()) {
          answer.completeExceptionally(
              new IllegalStateException(
                  (answers == null ? "no" : answers.size()) + " answers to a batch of "
                      + batch.size() + " commands"));
        } else {
          answer.complete(answers.get(i));
        }
      }
    } finally {
      List<Pending> next;
      synchronized (this) {
        inFlight--;
        next = take();
      }
      if (next != null) {
        commit(next);
      }
    }
  }
}
