package com.bacefook.store.testkit.chaos;

import com.bacefook.store.testkit.MiniCluster;
import java.util.List;
import java.util.Optional;

/**
 * The replica groups a chaos run stops members of: in-process servers ({@link #of(MiniCluster)}) or
 * real processes killed with SIGKILL (the end-to-end tests' own implementation).
 */
public interface MemberControl {
  /** Returns the members of {@code group}, running or not. */
  List<String> members(String group);

  /** Returns the member of {@code group} the shardmaster lists (its leader when it last said), if any. */
  Optional<String> listedMember(String group);

  /** Stops {@code member} at once. */
  void stop(String member);

  /** Starts {@code member} again, on an empty data directory if {@code wiped}. */
  void start(String member, boolean wiped);

  /** Returns the control of {@code cluster}'s replica groups. */
  static MemberControl of(MiniCluster cluster) {
    return new MemberControl() {
      @Override
      public List<String> members(String group) {
        return cluster.groupMembers(group);
      }

      @Override
      public Optional<String> listedMember(String group) {
        return cluster.listedMember(group);
      }

      @Override
      public void stop(String member) {
        cluster.stopServer(member);
      }

      @Override
      public void start(String member, boolean wiped) {
        cluster.restartServer(member, wiped);
      }
    };
  }
}
