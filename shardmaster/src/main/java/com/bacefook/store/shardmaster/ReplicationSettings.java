package com.bacefook.store.shardmaster;

import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.replication.RaftPeers;
import com.bacefook.store.rpc.Addresses;

/**
 * How one member of a replicated shardmaster runs, as its command line gives it.
 *
 * @param peers every member's Raft ID and Raft address ({@code --raft-peers}), the same on every
 *     member
 * @param raftId this member's ID among {@code peers} ({@code --raft-id})
 * @param address the {@code HOST:PORT} where this member's clients reach it, which the other members
 *     name when they refuse (by default the host of its Raft address and its gRPC port)
 * @param member how the member's Raft server runs ({@code --snapshot-every})
 */
public record ReplicationSettings(
    RaftPeers peers, String raftId, String address, GroupMember.Options member) {
  /** Checks that {@code raftId} is one of {@code peers} and {@code address} is HOST:PORT. */
  public ReplicationSettings {
    peers.require(raftId);
    address = Addresses.parse(address).toString();
  }

  /**
   * Returns the settings of member {@code raftId} serving clients on {@code port} of the host its
   * Raft address names.
   */
  public static ReplicationSettings onRaftHost(
      RaftPeers peers, String raftId, int port, GroupMember.Options member) {
    return new ReplicationSettings(
        peers, raftId, peers.require(raftId).address().getHost() + ":" + port, member);
  }
}
