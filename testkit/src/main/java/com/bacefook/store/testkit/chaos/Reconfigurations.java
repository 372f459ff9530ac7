package com.bacefook.store.testkit.chaos;

/**
 * The configuration changes a chaos run made.
 *
 * @param joins servers joined (new or rejoining)
 * @param leaves servers that left
 * @param moves ranges moved
 * @param rejected changes the shardmaster refused or that failed
 * @param serversStarted servers started during the run
 */
public record Reconfigurations(int joins, int leaves, int moves, int rejected, int serversStarted) {
  /** Returns how many changes took effect. */
  public int total() {
    return joins + leaves + moves;
  }
}
