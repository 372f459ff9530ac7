package com.bacefook.store.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.HostAndPort;
import org.junit.jupiter.api.Test;

class RaftPeersTest {
  @Test
  void parsesMembersInOrder() {
    RaftPeers peers = RaftPeers.parse("a:127.0.0.1:9001, b:localhost:9002,c-3:db.example.com:9003");

    assertThat(peers.members())
        .containsExactly(
            new RaftPeers.Member("a", HostAndPort.fromParts("127.0.0.1", 9001)),
            new RaftPeers.Member("b", HostAndPort.fromParts("localhost", 9002)),
            new RaftPeers.Member("c-3", HostAndPort.fromParts("db.example.com", 9003)));
    assertThat(peers.majority()).isEqualTo(2);
    assertThat(peers.require("b").address().getPort()).isEqualTo(9002);
    assertThat(peers).hasToString("a:127.0.0.1:9001,b:localhost:9002,c-3:db.example.com:9003");
  }

  @Test
  void aGroupOfOneIsItsOwnMajority() {
    assertThat(RaftPeers.parse("solo:127.0.0.1:9001").majority()).isEqualTo(1);
  }

  @Test
  void refusesBadListsNamingTheEntry() {
    assertThatThrownBy(() -> RaftPeers.parse(" "))
        .hasMessageContaining("expected ID:HOST:PORT,ID:HOST:PORT");
    assertThatThrownBy(() -> RaftPeers.parse("a:127.0.0.1:9001,b"))
        .hasMessageContaining("bad raft peer 'b': expected ID:HOST:PORT");
    assertThatThrownBy(() -> RaftPeers.parse("a:127.0.0.1:9001,"))
        .hasMessageContaining("bad raft peer ''");
    assertThatThrownBy(() -> RaftPeers.parse("a b:127.0.0.1:9001"))
        .hasMessageContaining("the ID 'a b' must be 1 to 64 letters");
    assertThatThrownBy(() -> RaftPeers.parse("a:127.0.0.1:99999"))
        .hasMessageContaining("bad raft peer 'a:127.0.0.1:99999'");
    assertThatThrownBy(() -> RaftPeers.parse("a:127.0.0.1"))
        .hasMessageContaining("expected host:port");
  }

  @Test
  void refusesDuplicateIdsAndAddresses() {
    assertThatThrownBy(() -> RaftPeers.parse("a:127.0.0.1:9001,a:127.0.0.1:9002"))
        .hasMessage("member ID 'a' is listed twice");
    assertThatThrownBy(() -> RaftPeers.parse("a:127.0.0.1:9001,b:127.0.0.1:9001"))
        .hasMessage("address 127.0.0.1:9001 is listed for two members");
  }

  @Test
  void requireNamesTheKnownIds() {
    RaftPeers peers = RaftPeers.parse("a:127.0.0.1:9001,b:127.0.0.1:9002");

    assertThat(peers.member("c")).isEmpty();
    assertThatThrownBy(() -> peers.require("c"))
        .hasMessage("--raft-id 'c' is not one of the --raft-peers IDs [a, b]");
  }
}
