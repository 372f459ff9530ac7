package com.bacefook.store.bench;

import com.bacefook.store.client.BatchResult;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.PutRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Writes keys {@code 0..count-1} through the routing client's batch path ({@code putMany}: one RPC per
 * owning server per {@link #BATCH} keys) from a pool of threads, each key with the value {@link
 * Values#forKey} gives it, and reports progress once a second.
 */
final class Preloader {
  /** Keys a thread takes and writes at a time. */
  static final int BATCH = 2000;
  /** Tries of a key whose put timed out or found its server unavailable. */
  private static final int ATTEMPTS = 3;
  private static final Set<String> RETRIED = Set.of("DEADLINE_EXCEEDED", "UNAVAILABLE");

  private Preloader() {}

  /**
   * The outcome of a preload.
   *
   * @param keys keys written
   * @param failed keys whose put failed (after the client's own retries), by status code
   */
  record Result(long keys, double seconds, double keysPerSecond, Map<String, Long> failed) {
    long failures() {
      return failed.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Writes {@code batch}, again for the keys whose put timed out or found its server unavailable (up
   * to {@link #ATTEMPTS} in all: the bench is the only writer of its keys, so a put written twice
   * holds the same value); returns the status code of each key that still failed.
   */
  private static List<String> write(StoreClient client, List<PutRequest> batch, LongAdder written) {
    List<String> failed = new ArrayList<>();
    List<PutRequest> pending = batch;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      Map<Integer, String> codes = new LinkedHashMap<>();
      try {
        BatchResult result = client.putMany(pending);
        written.add(result.applied());
        result.failures().forEach((index, e) -> codes.put(index, e.getStatus().getCode().name()));
      } catch (StatusRuntimeException e) {
        for (int i = 0; i < pending.size(); i++) {
          codes.put(i, e.getStatus().getCode().name());
        }
      }
      List<PutRequest> retry = new ArrayList<>();
      for (Map.Entry<Integer, String> code : codes.entrySet()) {
        if (attempt < ATTEMPTS && RETRIED.contains(code.getValue())) {
          retry.add(pending.get(code.getKey()));
        } else {
          failed.add(code.getValue());
        }
      }
      pending = retry;
    }
    return failed;
  }

  static Result load(
      StoreClient client,
      long count,
      LongFunction<String> keyAt,
      int valueBytes,
      int threads,
      Duration timeout,
      Progress progress,
      String label) {
    AtomicLong next = new AtomicLong();
    LongAdder written = new LongAdder();
    Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (long from = next.getAndAdd(BATCH); from < count; from = next.getAndAdd(BATCH)) {
                    if (System.nanoTime() > deadline) {
                      failed.computeIfAbsent("PRELOAD_TIMEOUT", k -> new LongAdder()).add(Math.min(BATCH, count - from));
                      return;
                    }
                    List<PutRequest> batch = new ArrayList<>(BATCH);
                    for (long i = from; i < Math.min(count, from + BATCH); i++) {
                      String key = keyAt.apply(i);
                      batch.add(PutRequest.newBuilder().setKey(key).setData(Values.forKey(key, valueBytes)).build());
                    }
                    for (String code : write(client, batch, written)) {
                      failed.computeIfAbsent(code, k -> new LongAdder()).increment();
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "bench-preload-" + t);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    long lastCount = 0;
    long lastTime = start;
    try {
      // Bounded by the deadline (plus the client's own per-operation deadline for calls in flight).
      while (!done.await(Clock.SECOND, TimeUnit.NANOSECONDS)) {
        long now = System.nanoTime();
        long n = written.sum();
        progress.line(
            "%-22s %11s of %s keys  %9s keys/s",
            label, Tables.count(n), Tables.count(count), Tables.count(Math.round((n - lastCount) / ((now - lastTime) / 1e9))));
        lastCount = n;
        lastTime = now;
        if (now > deadline + Duration.ofSeconds(30).toNanos()) {
          workers.forEach(Thread::interrupt);
          break;
        }
      }
    } catch (InterruptedException e) {
      workers.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
    }
    double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    Map<String, Long> failures = new LinkedHashMap<>();
    failed.forEach((code, n) -> failures.put(code, n.sum()));
    long keys = written.sum();
    return new Result(keys, Math.round(seconds * 1000) / 1000.0, Math.round(keys / seconds), failures);
  }
}
