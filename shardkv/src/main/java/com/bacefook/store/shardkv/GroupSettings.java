package com.bacefook.store.shardkv;

import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.replication.RaftPeers;

/**
 * The replica group a server is a member of, as its command line gives it.
 *
 * @param name the group's name, the same on every member ({@code --group})
 * @param peers every member's Raft ID and Raft address ({@code --raft-peers})
 * @param raftId this member's ID among {@code peers} ({@code --raft-id})
 * @param join whether the group joins the shardmaster (once, by its leader) if it is not in the
 *     configuration ({@code --join})
 * @param member how the member's Raft server runs
 */
public record GroupSettings(
    String name, RaftPeers peers, String raftId, boolean join, GroupMember.Options member) {
  /** Checks that the name is not blank and {@code raftId} is one of {@code peers}. */
  public GroupSettings {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("--group needs a name");
    }
    peers.require(raftId);
  }
}
