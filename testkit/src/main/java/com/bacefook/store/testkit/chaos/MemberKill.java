package com.bacefook.store.testkit.chaos;

/**
 * One replica group member (or replicated shardmaster member) a chaos run stopped and started again.
 *
 * @param group its group ({@link MemberControl#SHARDMASTER} for a shardmaster member)
 * @param member its name
 * @param wasLeader whether it was its group's listed member (so it led) when it was stopped
 * @param wiped whether it came back with an empty data directory
 * @param stoppedNanos when it was stopped ({@link System#nanoTime()})
 * @param restartedNanos when it was started again
 */
public record MemberKill(
    String group,
    String member,
    boolean wasLeader,
    boolean wiped,
    long stoppedNanos,
    long restartedNanos) {}
