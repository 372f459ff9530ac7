package com.bacefook.store.shardkv;

import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the sender of a handoff is still there, judged from what the addresses it can be reached at
 * answer to {@code Status}. A receiver gives up on a handoff after its timeout only when the sender is
 * gone: a replica group of which fewer than a majority of members answer and none that answers knows
 * a leader, or any server on its own (as before replica groups: the timeout is for a dead server). A replica group that is still there resends from
 * whichever member leads it (the keys are in its log), so giving up on it would serve the range
 * without writes the group acknowledged.
 *
 * <p>Pure: who to ask and what the answers mean; the asking is the server's.
 *
 * @param sender the sender's name, as the receiver's range table waits for it
 * @param group the replica group that name stands for in the configuration before the move, if any
 */
record SenderLiveness(String sender, Optional<ReplicaSet> group) {
  /**
   * The verdict on a sender.
   *
   * @param alive whether it is still there
   * @param reason what was seen, for the log
   */
  record Verdict(boolean alive, String reason) {}

  /** The liveness of {@code sender} as configuration {@code before} (the one before the move) lists it. */
  static SenderLiveness of(Configuration before, String sender) {
    return new SenderLiveness(
        sender,
        before.entryNamedBy(sender)
            .flatMap(ServerRanges::group)
            .filter(g -> !g.replicas().isEmpty()));
  }

  /**
   * The addresses to ask: every member of the sender's replica group; none for a server on its own,
   * which is given up on at the timeout as before replica groups existed (its keys die with it, and
   * a live one that cannot deliver would otherwise keep the range waiting for ever).
   */
  List<String> addresses() {
    return group.map(g -> (List<String>) g.replicas()).orElse(List.of());
  }

  /**
   * Judges from {@code answers}, the {@code Status} replies of those of {@link #addresses} that
   * answered (any other address is not counted).
   */
  Verdict judge(Map<String, ServerStatus> answers) {
    List<String> asked = addresses();
    List<ServerStatus> answered =
        asked.stream().filter(answers::containsKey).map(answers::get).toList();
    if (group.isEmpty()) {
      return new Verdict(false, Quote.of(sender) + " is a server on its own");
    }
    int majority = asked.size() / 2 + 1;
    boolean leaderKnown = answered.stream().anyMatch(status -> !status.getLeader().isEmpty());
    String seen =
        "replica group " + Quote.of(group.get().name()) + ": " + answered.size() + " of "
            + asked.size() + " members answer (a majority is " + majority + "), "
            + (leaderKnown ? "and one knows a leader" : "and none knows a leader");
    return new Verdict(answered.size() >= majority || leaderKnown, seen);
  }
}
