package com.bacefook.store.testkit.chaos;

import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a chaos run that stops replica group members: every {@code period} it stops one member
 * and starts it again {@code downTime} later, taking the groups in turn. Each group loses its leader
 * first (its {@link MemberControl#listedMember listed member}), then followers; the second member
 * stopped (or the first after it, if that round found none to stop) comes back with its data
 * directory wiped. One member is down at a time, so every group keeps its majority.
 */
final class MemberKiller implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(MemberKiller.class);

  private final MemberControl members;
  private final List<String> groups;
  private final long startNanos;
  private final long endNanos;
  private final Duration period;
  private final Duration downTime;
  private final List<MemberKill> kills = new ArrayList<>();

  MemberKiller(
      MemberControl members,
      List<String> groups,
      long startNanos,
      long endNanos,
      Duration period,
      Duration downTime) {
    this.members = members;
    this.groups = List.copyOf(groups);
    this.startNanos = startNanos;
    this.endNanos = endNanos;
    this.period = period;
    this.downTime = downTime;
  }

  @Override
  public void run() {
    long next = startNanos;
    for (int round = 0; !Thread.currentThread().isInterrupted(); round++) {
      Pacing.until(next);
      if (System.nanoTime() + downTime.toNanos() >= endNanos) {
        return;
      }
      next += period.toNanos();
      String group = groups.get(round % groups.size());
      boolean leaderTurn = round < groups.size();
      Optional<String> victim = pick(group, leaderTurn, round);
      if (victim.isEmpty()) {
        continue;
      }
      // The second member stopped comes back wiped (or a later one, if the second round found no
      // member to stop: the shardmaster could not say which member leads).
      boolean wipe = round >= 1 && kills.stream().noneMatch(MemberKill::wiped);
      long stopped = System.nanoTime();
      members.stop(victim.get());
      log.info("chaos: stopped {} of {} ({})", victim.get(), group, leaderTurn ? "leader" : "follower");
      Pacing.until(stopped + downTime.toNanos());
      members.start(victim.get(), wipe);
      log.info("chaos: restarted {}{}", victim.get(), wipe ? " with an empty data directory" : "");
      kills.add(new MemberKill(group, victim.get(), leaderTurn, wipe, stopped, System.nanoTime()));
    }
  }

  /** Returns the group's listed member on its leader turn, else another member, chosen by round. */
  private Optional<String> pick(String group, boolean leaderTurn, int round) {
    Optional<String> listed;
    try {
      listed = members.listedMember(group);
    } catch (StatusRuntimeException e) {
      log.info("chaos: cannot ask the shardmaster which member leads {}: {}", group, e.getStatus());
      return Optional.empty();
    }
    if (leaderTurn) {
      return listed;
    }
    List<String> followers = new ArrayList<>(members.members(group));
    listed.ifPresent(followers::remove);
    int turn = round / groups.size();
    return followers.isEmpty() ? Optional.empty() : Optional.of(followers.get(turn % followers.size()));
  }

  /** Returns the members stopped so far, in order. */
  List<MemberKill> kills() {
    return List.copyOf(kills);
  }
}
