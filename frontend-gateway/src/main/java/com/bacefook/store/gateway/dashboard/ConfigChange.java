package com.bacefook.store.gateway.dashboard;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What changed from one configuration to the next: servers that joined and left, and each run of
 * key IDs that changed owner.
 *
 * @param configNum the number of the newer configuration
 * @param seenAt when the gateway first saw it (milliseconds since the epoch), or null if it was
 *     older than the gateway
 * @param joined servers in the newer configuration only, in join order
 * @param left servers in the older configuration only
 * @param moves runs of IDs whose owner changed, in ID order
 */
public record ConfigChange(
    long configNum, Long seenAt, List<String> joined, List<String> left, List<Move> moves) {
  /** Copies the lists. */
  public ConfigChange {
    joined = List.copyOf(joined);
    left = List.copyOf(left);
    moves = List.copyOf(moves);
  }

  /**
   * IDs {@code [lower, upper]} went from {@code from} (null: nobody owned them) to {@code to}
   * (null: nobody owns them now).
   */
  public record Move(int lower, int upper, String from, String to) {}

  /** Returns the change from {@code before} to {@code after}, seen at {@code seenAt}. */
  public static ConfigChange between(Configuration before, Configuration after, Long seenAt) {
    List<String> joined =
        after.serverNames().stream().filter(server -> !before.contains(server)).toList();
    List<String> left =
        before.serverNames().stream().filter(server -> !after.contains(server)).toList();
    List<Move> moves = new ArrayList<>();
    int runStart = -1;
    String runFrom = null;
    String runTo = null;
    for (int id = KeyId.MIN; id <= KeyId.MAX + 1; id++) {
      String from = id <= KeyId.MAX ? before.ownerOf(id).orElse(null) : null;
      String to = id <= KeyId.MAX ? after.ownerOf(id).orElse(null) : null;
      boolean moved = id <= KeyId.MAX && !Objects.equals(from, to);
      boolean sameRun = moved && runStart >= 0 && Objects.equals(from, runFrom)
          && Objects.equals(to, runTo);
      if (runStart >= 0 && !sameRun) {
        moves.add(new Move(runStart, id - 1, runFrom, runTo));
        runStart = -1;
      }
      if (moved && runStart < 0) {
        runStart = id;
        runFrom = from;
        runTo = to;
      }
    }
    return new ConfigChange(after.number(), seenAt, joined, left, moves);
  }
}
