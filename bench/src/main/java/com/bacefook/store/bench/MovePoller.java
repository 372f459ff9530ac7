package com.bacefook.store.bench;

import com.bacefook.store.client.Reply;
import com.bacefook.store.client.StoreClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/** Watches moved keys through the public Get: when their new owner serves them, and with what. */
final class MovePoller {
  /** Pause between two Gets of a key its new owner does not serve yet. */
  static final long POLL_MILLIS = 10;

  private static final int ATTEMPTS_PER_KEY = 5;

  private MovePoller() {}

  /**
   * Whether and when every sample key was served by its new owner.
   *
   * @param seconds from the start given to {@link #awaitServed} to the last sample served (or to the
   *     give-up time if not complete)
   * @param pending sample keys never served
   * @param notFoundAnswers Gets of moved keys (which exist) answered NOT_FOUND: the new owner served a
   *     range before its keys arrived
   * @param firstNotFoundSeconds when the first of those came, from the start; -1 if none did
   */
  record Outcome(boolean complete, double seconds, int pending, long notFoundAnswers, double firstNotFoundSeconds) {}

  /**
   * The read-back of every moved key.
   *
   * @param seconds from the join to the last key read back
   * @param readSeconds the read-back alone
   * @param missing keys answered with NOT_FOUND
   * @param wrong keys answered by another server, with another value, or failing after retries
   */
  record Verification(long checked, long missing, long wrong, double seconds, double readSeconds) {}

  /**
   * Polls each of {@code samples} with Gets, {@code threads} keys at a time, until {@code owner} answers it
   * with the expected value; prints progress (and the interval stats of {@code load}, if any) each second.
   */
  static Outcome awaitServed(
      StoreClient client,
      List<String> samples,
      String owner,
      UnaryOperator<String> expected,
      int threads,
      long start,
      long deadline,
      Progress progress,
      LoadGenerator load) {
    Queue<String> queue = new ConcurrentLinkedQueue<>(samples);
    AtomicInteger served = new AtomicInteger();
    AtomicLong lastServed = new AtomicLong(start);
    AtomicLong notFound = new AtomicLong();
    AtomicLong firstNotFound = new AtomicLong(Long.MAX_VALUE);
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (String key = queue.poll(); key != null; key = queue.poll()) {
                    if (!pollUntilServed(client, key, owner, expected.apply(key), deadline, notFound, firstNotFound)) {
                      return;
                    }
                    served.incrementAndGet();
                    long now = System.nanoTime();
                    lastServed.accumulateAndGet(now, Math::max);
                  }
                } finally {
                  done.countDown();
                }
              },
              "bench-move-poller-" + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    try {
      while (!done.await(Clock.SECOND, TimeUnit.NANOSECONDS)) {
        long now = System.nanoTime();
        String loadText = "";
        if (load != null) {
          LoadGenerator.Interval i = load.takeInterval();
          loadText =
              String.format(
                  Locale.ROOT, "  unmoved gets %s ops/s p99 %s ms errors %d",
                  Tables.count(Math.round(i.opsPerSecond())), Tables.millis(i.latency().p99Us()), i.errors());
        }
        progress.line("%-22s %6.1fs  new owner serves %d/%d moved IDs%s", "migrate move", (now - start) / 1e9, served.get(), samples.size(), loadText);
        if (now > deadline + Clock.SECOND * 10) {
          workers.forEach(Thread::interrupt);
          break;
        }
      }
    } catch (InterruptedException e) {
      workers.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
    }
    boolean complete = served.get() == samples.size();
    long end = complete ? lastServed.get() : System.nanoTime();
    double firstMissing = firstNotFound.get() == Long.MAX_VALUE ? -1 : round3((firstNotFound.get() - start) / 1e9);
    return new Outcome(
        complete, Math.max(1e-6, (end - start) / 1e9), samples.size() - served.get(), notFound.get(), firstMissing);
  }

  private static boolean pollUntilServed(
      StoreClient client, String key, String owner, String expected, long deadline, AtomicLong notFound, AtomicLong firstNotFound) {
    while (System.nanoTime() < deadline) {
      try {
        Reply<String> reply = client.get(key);
        if (reply.server().equals(owner) && expected.equals(reply.value())) {
          return true;
        }
      } catch (StatusRuntimeException e) {
        // Refused (not applied yet, or the handoff is under way): poll again. NOT_FOUND for a key that
        // exists means a server answered for the range without its keys: counted, then polled again.
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          notFound.incrementAndGet();
          firstNotFound.accumulateAndGet(System.nanoTime(), Math::min);
        }
      }
      Clock.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return false;
  }

  /** Reads every key of {@code keys} back with {@code threads} threads and checks owner and value. */
  static Verification verifyAll(
      StoreClient client,
      List<String> keys,
      String owner,
      UnaryOperator<String> expected,
      int threads,
      long joinStart,
      long deadline,
      Progress progress) {
    long start = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    AtomicLong checked = new AtomicLong();
    AtomicLong missing = new AtomicLong();
    AtomicLong wrong = new AtomicLong();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int i = next.getAndIncrement(); i < keys.size() && System.nanoTime() < deadline; i = next.getAndIncrement()) {
                    String key = keys.get(i);
                    switch (check(client, key, owner, expected.apply(key))) {
                      case MISSING -> missing.incrementAndGet();
                      case WRONG -> wrong.incrementAndGet();
                      case OK -> { }
                    }
                    checked.incrementAndGet();
                  }
                } finally {
                  done.countDown();
                }
              },
              "bench-verify-" + t);
      worker.setDaemon(true);
      worker.start();
    }
    try {
      while (!done.await(Clock.SECOND, TimeUnit.NANOSECONDS)) {
        progress.line("%-22s %11s of %s moved keys read back", "migrate verify", Tables.count(checked.get()), Tables.count(keys.size()));
        if (System.nanoTime() > deadline + Clock.SECOND * 30) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long end = System.nanoTime();
    long unchecked = keys.size() - checked.get();
    return new Verification(
        checked.get(), missing.get(), wrong.get() + unchecked, round3((end - joinStart) / 1e9), round3((end - start) / 1e9));
  }

  private enum Check {
    OK,
    MISSING,
    WRONG
  }

  private static Check check(StoreClient client, String key, String owner, String expected) {
    for (int attempt = 1; ; attempt++) {
      try {
        Reply<String> reply = client.get(key);
        return reply.server().equals(owner) && expected.equals(reply.value()) ? Check.OK : Check.WRONG;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          return Check.MISSING;
        }
        if (attempt >= ATTEMPTS_PER_KEY) {
          return Check.WRONG;
        }
      }
    }
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
