package com.bacefook.store.shardmaster;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ShardRange;
import java.util.List;
import java.util.Optional;

/**
 * The shardmaster's configurations as its service sees them: a single process's {@link
 * ConfigurationHistory}, or one member of a replicated shardmaster ({@link ShardmasterGroup}), which
 * refuses with a status when it cannot answer (not the leader, no majority).
 */
interface Configurations {
  /** Applies {@link ConfigurationRules#join}: {@code server}, leading {@code group} if given. */
  void join(String server, Optional<ReplicaSet> group);

  /** Applies {@link ConfigurationRules#replace}. */
  void replace(String replaced, String server, Optional<ReplicaSet> group);

  /** Applies {@link ConfigurationRules#leave}. */
  void leave(List<String> servers);

  /** Applies {@link ConfigurationRules#move}. */
  void move(String server, ShardRange range);

  /** Returns the newest configuration. */
  Configuration latest();

  /** Returns configuration number {@code number}, if it exists. */
  Optional<Configuration> get(long number);

  /**
   * Returns if this process may act for the shardmaster now (a GDPR delete runs on one process
   * only); throws the refusal otherwise.
   */
  void checkServes();
}
