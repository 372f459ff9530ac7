/**
 * Groups of servers on Apache Ratis, used by shardkv's replica groups and the replicated
 * shardmaster: the members of a group ({@link com.bacefook.store.replication.RaftPeers}), one
 * member's Raft server and client ({@link com.bacefook.store.replication.GroupMember}), and a state
 * machine that only decodes log entries and hands them to a {@link
 * com.bacefook.store.replication.ReplicatedState}, the plain class that holds the logic. Nothing
 * here knows what a key or a configuration is.
 */
package com.bacefook.store.replication;
