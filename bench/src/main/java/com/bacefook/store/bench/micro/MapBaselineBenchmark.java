package com.bacefook.store.bench.micro;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under any server: a {@link ConcurrentHashMap} put and get of 100-byte values, with no RPC,
 * no ownership check and no copying. Run with {@code -t 2} to see two threads share it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MapBaselineBenchmark {
  @Param({"10010", "1000000"})
  public int keys;

  private ConcurrentHashMap<String, String> map;
  private String[] names;
  private String[] values;

  /** Each thread walks the keys from its own random start. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = new SplittableRandom().nextInt(1 << 20);
  }

  @Setup
  public void setUp() {
    map = new ConcurrentHashMap<>();
    names = new String[keys];
    values = new String[16];
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < values.length; i++) {
      StringBuilder value = new StringBuilder(100);
      for (int j = 0; j < 100; j++) {
        value.append((char) ('a' + random.nextInt(26)));
      }
      values[i] = value.toString();
    }
    for (int i = 0; i < keys; i++) {
      names[i] = "k_" + (i % 1001) + "_" + (i / 1001);
      map.put(names[i], values[i & 15]);
    }
  }

  @Benchmark
  public String get(Cursor cursor) {
    return map.get(names[Math.floorMod(cursor.next++, keys)]);
  }

  @Benchmark
  public String put(Cursor cursor) {
    int i = Math.floorMod(cursor.next++, keys);
    return map.put(names[i], values[i & 15]);
  }
}
