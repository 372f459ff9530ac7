package com.bacefook.store.testkit.history;

import com.bacefook.store.testkit.history.Operation.Kind;
import com.bacefook.store.testkit.history.Operation.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates histories that are linearizable by construction: operations run one at a time against the
 * model at points 0, 10, 20, ..., and each is then given an interval around its point.
 */
final class RandomHistories {
  private final Random random;
  private final int keys;
  private final int spread;
  private final double unknownRate;

  /**
   * @param seed the random seed
   * @param keys how many keys the operations spread over
   * @param spread how far (in units of 10 between points) an interval may reach either side of its
   *     point: the larger, the more operations overlap
   * @param unknownRate how often a write gets an unknown outcome (half of these never took effect)
   */
  RandomHistories(long seed, int keys, int spread, double unknownRate) {
    this.random = new Random(seed);
    this.keys = keys;
    this.spread = spread;
    this.unknownRate = unknownRate;
  }

  List<Operation> generate(int count) {
    Map<String, String> state = new HashMap<>();
    List<Operation> history = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String key = "k_" + random.nextInt(keys);
      long point = 10L * i + 1_000_000;
      long invoke = point - random.nextInt(10 * spread + 1);
      long ret = point + random.nextInt(10 * spread + 1);
      int client = random.nextInt(16);
      String current = state.get(key);
      int dice = random.nextInt(100);
      if (dice < 40) {
        Outcome outcome = current == null ? Outcome.NOT_FOUND : Outcome.OK;
        history.add(new Operation(client, key, Kind.GET, null, outcome, current, invoke, ret));
        continue;
      }
      Kind kind = dice < 65 ? Kind.PUT : dice < 90 ? Kind.APPEND : Kind.DELETE;
      String input = kind == Kind.PUT ? "p" + i : kind == Kind.APPEND ? "a" + i + ";" : null;
      boolean unknown = random.nextDouble() < unknownRate;
      boolean happened = !unknown || random.nextBoolean();
      if (happened) {
        state.put(key, next(current, kind, input));
        if (state.get(key) == null) {
          state.remove(key);
        }
      }
      Outcome outcome =
          unknown ? Outcome.UNKNOWN
              : kind == Kind.DELETE && current == null ? Outcome.NOT_FOUND : Outcome.OK;
      history.add(new Operation(client, key, kind, input, outcome, null, invoke, ret));
    }
    return history;
  }

  private static String next(String current, Kind kind, String input) {
    switch (kind) {
      case PUT:
        return input;
      case APPEND:
        return current == null ? input : current + input;
      case DELETE:
        return null;
      default:
        throw new AssertionError(kind);
    }
  }
}
