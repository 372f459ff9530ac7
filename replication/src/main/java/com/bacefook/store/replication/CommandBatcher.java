package com.bacefook.store.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Group commit for a replica group's log: the commands submitted while earlier batches are being
 * committed wait and go together in the next batch, so that under load one log entry carries the
 * writes of many concurrent clients, and under light load a command goes alone at once.
 *
 * <p>At most {@code maxInFlight} batches are being committed at a time; a batch holds at most
 * {@code maxCommands} commands and {@code maxBytes} of them (a larger command goes alone). Every
 * batch is started after each of its commands was submitted, which is what makes it right to share
 * one read barrier among the reads of a batch too.
 *
 * <p>What follows a committed batch (answering its commands, starting the next) runs on {@code
 * executor}, never on the thread that completed the commit: that may be the Raft server's own
 * apply thread, which must not wait for a new proposal.
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

  /** Queues {@code command} for the next batch; the future holds its answer once committed. */
  CompletableFuture<byte[]> submit(byte[] command) {
    Pending pending = new Pending(command, new CompletableFuture<>());
    List<Pending> batch;
    synchronized (this) {
      waiting.add(pending);
      batch = inFlight < maxInFlight ? take() : null;
    }
    if (batch != null) {
      commit(batch);
    }
    return pending.answer();
  }

  /** Takes the next batch off the queue and counts it in flight (under the lock). */
  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    while (!waiting.isEmpty() && batch.size() < maxCommands) {
      long size = waiting.peek().command().length;
      if (!batch.isEmpty() && bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      batch.add(waiting.poll());
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
    answers.whenCompleteAsync(
        (list, error) -> {
          for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<byte[]> answer = batch.get(i).answer();
            if (error != null) {
              answer.completeExceptionally(error);
            } else if (list.size() != batch.size()) {
              answer.completeExceptionally(
                  new IllegalStateException(
                      list.size() + " answers to a batch of " + batch.size() + " commands"));
            } else {
              answer.complete(list.get(i));
            }
          }
          List<Pending> next;
          synchronized (this) {
            inFlight--;
            next = waiting.isEmpty() ? null : take();
          }
          if (next != null) {
            commit(next);
          }
        },
        executor);
  }
}
