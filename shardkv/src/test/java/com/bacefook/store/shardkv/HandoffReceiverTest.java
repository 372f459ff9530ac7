package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a handoff's receiver names the parties: by the entries a configuration gives their groups. */
class HandoffReceiverTest {
  /**
   * g2 joined under e once e and f had announced their addresses, so its replicas leave out d; s is
   * a server on its own.
   */
  private static final Configuration CONFIG =
      new Configuration(
          3,
          List.of(
              new ServerRanges(
                  "e",
                  List.of(new ShardRange(0, 15)),
                  Optional.of(new ReplicaSet("g2", List.of("e", "f")))),
              new ServerRanges("s", List.of(new ShardRange(16, 1000)))));

  @Test
  void anyListedMemberNamesItsGroupsEntry() {
    assertThat(HandoffReceiver.nameIn(CONFIG, "f", Optional.empty())).isEqualTo("e");
    assertThat(HandoffReceiver.nameIn(CONFIG, "e", Optional.empty())).isEqualTo("e");
    assertThat(HandoffReceiver.nameIn(CONFIG, "s", Optional.empty())).isEqualTo("s");
  }

  @Test
  void aMemberTheReplicasLeaveOutIsFoundByItsGroupsName() {
    assertThat(HandoffReceiver.nameIn(CONFIG, "d", Optional.of("g2"))).isEqualTo("e");
  }

  @Test
  void anAddressOfNoKnownGroupIsItsOwnName() {
    assertThat(HandoffReceiver.nameIn(CONFIG, "d", Optional.empty())).isEqualTo("d");
    assertThat(HandoffReceiver.nameIn(CONFIG, "d", Optional.of("g9"))).isEqualTo("d");
    // A group's name never stands for a server on its own.
    assertThat(HandoffReceiver.nameIn(CONFIG, "d", Optional.of("s"))).isEqualTo("d");
  }
}
