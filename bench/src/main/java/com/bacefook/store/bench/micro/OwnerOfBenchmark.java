package com.bacefook.store.bench.micro;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** {@link Configuration#ownerOf} and {@code isOwner}: the routing and serving decisions per request. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OwnerOfBenchmark {
  private Configuration config;
  private int[] ids;
  private int next;

  @Setup
  public void setUp() {
    config =
        new Configuration(
            7,
            List.of(
                new ServerRanges("127.0.0.1:9091", List.of(new ShardRange(0, 333))),
                new ServerRanges("127.0.0.1:9092", List.of(new ShardRange(334, 667))),
                new ServerRanges("127.0.0.1:9093", List.of(new ShardRange(668, 1000)))));
    SplittableRandom random = new SplittableRandom(42);
    ids = new int[1024];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = random.nextInt(KeyId.COUNT);
    }
  }

  @Benchmark
  public Optional<String> ownerOf() {
    return config.ownerOf(ids[next++ & 1023]);
  }

  @Benchmark
  public boolean isOwner() {
    return config.isOwner("127.0.0.1:9092", ids[next++ & 1023]);
  }
}
