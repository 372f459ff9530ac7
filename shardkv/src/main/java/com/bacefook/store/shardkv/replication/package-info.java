/**
 * Replica groups on Apache Ratis: the members of a group ({@link
 * com.bacefook.store.shardkv.replication.RaftPeers}), one member's Raft server and client ({@link
 * com.bacefook.store.shardkv.replication.GroupMember}), and a state machine that only decodes log
 * entries and hands them to a {@link com.bacefook.store.shardkv.replication.ReplicatedState}, the
 * plain class that holds the logic. Nothing here knows what a key is.
 */
package com.bacefook.store.shardkv.replication;
