package com.bacefook.store.bench;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Redis as a load target, through Jedis with one connection per client thread, so that Redis and the
 * store are measured by the same closed-loop generator: GET, SET, APPEND and DEL of the same keys.
 */
final class RedisTarget implements LoadTarget {
  private static final int PRELOAD_PIPELINE = 1000;

  private final String host;
  private final int port;

  RedisTarget(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--redis takes HOST:PORT, got " + address);
    }
    this.host = address.substring(0, colon);
    try {
      this.port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--redis takes HOST:PORT, got " + address, e);
    }
  }

  @Override
  public Session open() {
    Jedis jedis = new Jedis(host, port);
    return new Session() {
      @Override
      public void call(Op op, String key, String value) {
        switch (op) {
          case GET -> jedis.get(key);
          case PUT -> jedis.set(key, value);
          case APPEND -> jedis.append(key, value);
          case DELETE -> jedis.del(key);
        }
      }

      @Override
      public CompletableFuture<?> async(Op op, String key, String value) {
        throw new UnsupportedOperationException("the async load mode drives only the store");
      }

      @Override
      public void close() {
        jedis.close();
      }
    };
  }

  @Override
  public boolean supportsAsync() {
    return false;
  }

  /** Writes keys {@code 0..count-1} with {@link Values#forKey} values, pipelined; returns the seconds taken. */
  double preload(long count, LongFunction<String> keyAt, int valueBytes) {
    long start = System.nanoTime();
    try (Jedis jedis = new Jedis(host, port)) {
      for (long from = 0; from < count; from += PRELOAD_PIPELINE) {
        Pipeline pipeline = jedis.pipelined();
        for (long i = from; i < Math.min(count, from + PRELOAD_PIPELINE); i++) {
          String key = keyAt.apply(i);
          pipeline.set(key, Values.forKey(key, valueBytes));
        }
        pipeline.sync();
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
