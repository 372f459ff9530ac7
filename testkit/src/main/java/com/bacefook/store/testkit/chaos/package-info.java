/**
 * A chaos workload: many clients reading and writing while the shardmaster's configuration keeps
 * changing, with the whole history checked for linearizability afterwards. See {@link
 * com.bacefook.store.testkit.chaos.ChaosRun}.
 */
package com.bacefook.store.testkit.chaos;
