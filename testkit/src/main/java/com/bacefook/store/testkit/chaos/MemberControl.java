package com.bacefook.store.testkit.chaos;

import com.bacefook.store.testkit.MiniCluster;
import java.util.List;
import java.util.Optional;

/**
 * The replica groups a chaos run stops members of: in-process servers ({@link #of(MiniCluster)}) or
 * real processes killed with SIGKILL (the end-to-end tests' own implementation). A replicated
 * shardmaster's members count as one more group, called {@link #SHARDMASTER}, whose listed member is
 * its leader.
 */
public interface MemberControl {
  /** The name under which the replicated shardmaster's members form a group here. */
  String SHARDMASTER = "shardmaster";

  /** Returns the members of {@code group}, running or not. */
  List<String> members(String group);

  /** Returns the member of {@code group} the shardmaster lists (its leader when it last said), if any. */
  Optional<String> listedMember(String group);

  /** Stops {@code member} at once. */
  void stop(String member);

  /** Starts {@code member} again, on an empty data directory if {@code wiped}. */
  void start(String member, boolean wiped);

  /**
   * Returns the control of {@code cluster}'s replica groups and, if it runs one ({@link
   * MiniCluster#startReplicated}), of its replicated shardmaster's members as group {@link
   * #SHARDMASTER}.
   */
  static MemberControl of(MiniCluster cluster) {
    return new MemberControl() {
      @Override
      public List<String> members(String group) {
        return group.equals(SHARDMASTER) ? cluster.shardmasterMembers() : cluster.groupMembers(group);
      }

      @Override
      public Optional<String> listedMember(String group) {
        return group.equals(SHARDMASTER) ? cluster.shardmasterLeader() : cluster.listedMember(group);
      }

      @Override
      public void stop(String member) {
        if (cluster.shardmasterMembers().contains(member)) {
          cluster.stopShardmasterMember(member);
        } else {
          cluster.stopServer(member);
        }
      }

      @Override
      public void start(String member, boolean wiped) {
        if (cluster.shardmasterMembers().contains(member)) {
          cluster.restartShardmasterMember(member, wiped);
        } else {
          cluster.restartServer(member, wiped);
        }
      }
    };
  }
}
