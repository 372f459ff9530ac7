package com.bacefook.store.bench;

import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: {@code clients} threads, each sending one operation and waiting for its reply before
 * sending the next, with no pause in between; or, with {@code inflight} above 1, each keeping that many
 * operations in flight through the target's asynchronous calls (a new one as soon as one completes). Latency is measured per operation from just before the
 * call to its reply, so it is the service time each client saw; throughput is what the clients achieved.
 *
 * <p>The thread that owns a generator drives it: {@link #start}, then {@link #beginMeasuring} to end the
 * warm-up, {@link #takeInterval} once a second for the progress line, and {@link #finish} for the result.
 * Worker loops end when told to, at a hard deadline, or after a bounded number of operations.
 */
final class LoadGenerator {
  private static final long MAX_OPS_PER_CLIENT = 500_000_000L;
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  /** How long an async client waits for a free slot before checking whether to stop. */
  private static final long PERMIT_WAIT_MS = 100;

  private final LoadTarget target;
  private final int inflight;
  private final OpMix mix;
  private final KeyPicker keys;
  private final int valueBytes;
  private final long seed;
  private final long hardDeadline;
  private final Tally tally;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<String> firstClientException = new AtomicReference<>();
  private volatile boolean stop;

  // State below belongs to the driving thread.
  private final Histogram[] interval = histograms();
  private final Histogram[] total = histograms();
  private final Histogram[] scratch = histograms();
  private long intervalStart;
  private long[] intervalErrorsBase;
  private boolean measuring;
  private long measureStart;
  private long[] errorsAtMeasureStart;

  /**
   * Creates a generator of {@code clients} client threads, each with {@code inflight} operations in
   * flight, that stop by themselves after {@code maxRun}.
   */
  LoadGenerator(
      LoadTarget target,
      int clients,
      int inflight,
      OpMix mix,
      KeyPicker keys,
      int valueBytes,
      long seed,
      Duration maxRun) {
    if (clients < 1) {
      throw new IllegalArgumentException("need at least one client, got " + clients);
    }
    if (inflight < 1 || (inflight > 1 && !target.supportsAsync())) {
      throw new IllegalArgumentException("in flight per client: 1, or more on a target with async calls; got " + inflight);
    }
    this.target = target;
    this.inflight = inflight;
    this.mix = mix;
    this.keys = keys;
    this.valueBytes = valueBytes;
    this.seed = seed;
    this.hardDeadline = System.nanoTime() + maxRun.toNanos();
    this.tally = new Tally(mix);
    for (int i = 0; i < clients; i++) {
      int index = i;
      Thread thread = new Thread(() -> runClient(index), "bench-client-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  int clients() {
    return threads.size();
  }

  void start() {
    intervalStart = System.nanoTime();
    intervalErrorsBase = errorSnapshot();
    threads.forEach(Thread::start);
  }

  /** Ends the warm-up: what was measured so far is discarded from the result. */
  void beginMeasuring() {
    drain();
    measuring = true;
    measureStart = System.nanoTime();
    errorsAtMeasureStart = errorSnapshot();
  }

  /** What happened since the previous call (or the start): for the progress line. */
  record Interval(double seconds, long ops, LatencyStats latency, long errors) {
    double opsPerSecond() {
      return seconds > 0 ? ops / seconds : 0;
    }
  }

  Interval takeInterval() {
    drain();
    long now = System.nanoTime();
    Histogram merged = Tally.newHistogram();
    for (Histogram h : interval) {
      merged.add(h);
      h.reset();
    }
    long[] errors = errorSnapshot();
    long errorCount = 0;
    for (int i = 0; i < errors.length; i++) {
      errorCount += errors[i] - intervalErrorsBase[i];
    }
    Interval result =
        new Interval((now - intervalStart) / 1e9, merged.getTotalCount(), LatencyStats.of(merged), errorCount);
    intervalStart = now;
    intervalErrorsBase = errors;
    return result;
  }

  /** Stops the clients and returns what was measured since {@link #beginMeasuring}. */
  StepResult finish() {
    if (!measuring) {
      beginMeasuring();
    }
    drain();
    long measureEnd = System.nanoTime();
    long[] errorsAtEnd = errorSnapshot();
    stopClients();
    double seconds = Math.max(1e-9, (measureEnd - measureStart) / 1e9);

    Histogram all = Tally.newHistogram();
    Map<String, Long> allErrors = new LinkedHashMap<>();
    List<StepResult.OpResult> perOp = new ArrayList<>();
    for (Op op : mix.weights().keySet()) {
      Histogram h = total[op.ordinal()];
      all.add(h);
      Map<String, Long> errors = new LinkedHashMap<>();
      for (int slot = 0; slot < Tally.ERROR_SLOTS; slot++) {
        int index = op.ordinal() * Tally.ERROR_SLOTS + slot;
        long count = errorsAtEnd[index] - errorsAtMeasureStart[index];
        if (count > 0) {
          errors.put(Tally.slotName(slot), count);
          allErrors.merge(Tally.slotName(slot), count, Long::sum);
        }
      }
      perOp.add(
          new StepResult.OpResult(
              op.label(), h.getTotalCount(), round1(h.getTotalCount() / seconds), LatencyStats.of(h), errors));
    }
    return new StepResult(
        clients(),
        Math.round(seconds * 1000) / 1000.0,
        all.getTotalCount(),
        round1(all.getTotalCount() / seconds),
        LatencyStats.of(all),
        allErrors,
        perOp,
        CpuAccounting.Share.UNKNOWN,
        -1);
  }

  /** The first failure that was not a gRPC status, if any (a bug in the bench or the client). */
  String firstClientException() {
    return firstClientException.get();
  }

  /** Moves what the clients recorded into the interval and, while measuring, into the total. */
  private void drain() {
    for (Histogram h : scratch) {
      h.reset();
    }
    tally.drainInto(scratch);
    for (int i = 0; i < scratch.length; i++) {
      interval[i].add(scratch[i]);
      if (measuring) {
        total[i].add(scratch[i]);
      }
    }
  }

  private long[] errorSnapshot() {
    return tally.errorCounts();
  }

  private void stopClients() {
    stop = true;
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    threads.stream().filter(Thread::isAlive).forEach(Thread::interrupt);
  }

  private void runClient(int index) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    String[] values = new String[8];
    for (int i = 0; i < values.length; i++) {
      values[i] = Values.random(random, valueBytes);
    }
    try (LoadTarget.Session session = target.open()) {
      if (inflight == 1) {
        runBlocking(session, random, values);
      } else {
        runAsync(session, random, values);
      }
    } catch (RuntimeException e) {
      firstClientException.compareAndSet(null, e.toString());
    }
  }

  private void runBlocking(LoadTarget.Session session, SplittableRandom random, String[] values) {
    for (long n = 0; n < MAX_OPS_PER_CLIENT && !stop && System.nanoTime() < hardDeadline; n++) {
      Op op = mix.pick(random);
      String key = keys.pick(random);
      long start = System.nanoTime();
      try {
        session.call(op, key, values[(int) (n & 7)]);
        tally.success(op, System.nanoTime() - start);
      } catch (RuntimeException e) {
        failed(op, e);
      }
    }
  }

  /** Keeps {@code inflight} operations outstanding: a permit per operation, returned on its reply. */
  private void runAsync(LoadTarget.Session session, SplittableRandom random, String[] values) {
    Semaphore permits = new Semaphore(inflight);
    try {
      for (long n = 0; n < MAX_OPS_PER_CLIENT && !stop && System.nanoTime() < hardDeadline; n++) {
        if (!permits.tryAcquire(PERMIT_WAIT_MS, TimeUnit.MILLISECONDS)) {
          continue;
        }
        Op op = mix.pick(random);
        String key = keys.pick(random);
        long start = System.nanoTime();
        CompletableFuture<?> reply;
        try {
          reply = session.async(op, key, values[(int) (n & 7)]);
        } catch (RuntimeException e) {
          permits.release();
          failed(op, e);
          continue;
        }
        reply.whenComplete(
            (ignored, failure) -> {
              if (failure == null) {
                tally.success(op, System.nanoTime() - start);
              } else {
                failed(op, failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
              }
              permits.release();
            });
      }
      // Let the last replies arrive before the session closes.
      permits.tryAcquire(inflight, STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void failed(Op op, Throwable e) {
    if (stop) {
      return;
    }
    if (e instanceof StatusRuntimeException status) {
      tally.failure(op, status.getStatus().getCode());
    } else {
      tally.failure(op, null);
      firstClientException.compareAndSet(null, e.toString());
    }
  }

  private static Histogram[] histograms() {
    Histogram[] result = new Histogram[Op.values().length];
    for (int i = 0; i < result.length; i++) {
      result[i] = Tally.newHistogram();
    }
    return result;
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
