package com.bacefook.store.testkit.chaos;

import com.bacefook.store.testkit.history.Operation;
import com.bacefook.store.testkit.history.RecordingClient;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client thread of a chaos run: random reads, puts, appends and deletes until a deadline, then one
 * read of each key in its share of the final sweep. Every value it writes is unique, so a read tells
 * which write it saw.
 */
final class ClientWorkload implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ClientWorkload.class);

  private final RecordingClient client;
  private final KeySpace keys;
  private final Random random;
  private final long endNanos;
  private final List<String> sweep;
  private final long sweepEndNanos;
  private int seq;
  private int failed;

  ClientWorkload(
      RecordingClient client,
      KeySpace keys,
      long seed,
      long endNanos,
      List<String> sweep,
      long sweepEndNanos) {
    this.client = client;
    this.keys = keys;
    this.random = new Random(seed);
    this.endNanos = endNanos;
    this.sweep = sweep;
    this.sweepEndNanos = sweepEndNanos;
  }

  @Override
  public void run() {
    while (System.nanoTime() < endNanos) {
      issue(keys.pick(random));
    }
  }

  /** Reads each key of its sweep share once, until the sweep deadline. */
  void sweep() {
    for (String key : sweep) {
      if (System.nanoTime() >= sweepEndNanos) {
        return;
      }
      attempt(() -> client.get(key));
    }
  }

  /** Returns how many calls certainly failed (and so were not recorded). */
  int failed() {
    return failed;
  }

  private void issue(String key) {
    int dice = random.nextInt(100);
    String tag = client.clientId() + "." + (seq++) + ";";
    if (dice < 45) {
      attempt(() -> client.get(key));
    } else if (dice < 65) {
      attempt(() -> client.put(key, "p" + tag, keys.authorOf(key)));
    } else if (dice < 90) {
      attempt(() -> client.append(key, "a" + tag));
    } else {
      attempt(() -> client.delete(key));
    }
  }

  private void attempt(Call call) {
    try {
      call.issue();
    } catch (StatusRuntimeException e) {
      failed++;
      if (failed <= 3) {
        log.info("chaos client {}: {}", client.clientId(), e.getStatus());
      }
    }
  }

  private interface Call {
    Operation issue();
  }
}
