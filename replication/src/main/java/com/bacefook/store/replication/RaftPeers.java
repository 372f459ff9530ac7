package com.bacefook.store.replication;

import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.sharding.Quote;
import com.google.common.net.HostAndPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The members of one replica group as {@code --raft-peers} lists them: {@code ID:HOST:PORT,...}, where
 * each ID is a short name ({@code [A-Za-z0-9_-]}) and HOST:PORT is where that member's Raft transport
 * listens. Every member is given the same list; the member whose ID matches binds that port.
 *
 * @param members the members in the order given
 */
public record RaftPeers(List<Member> members) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * One member of the group.
   *
   * @param id its Raft ID, unique in the group
   * @param address where its Raft transport listens
   */
  public record Member(String id, HostAndPort address) {}

  /** Copies {@code members}, which must be at least one and have unique IDs and addresses. */
  public RaftPeers {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a replica group needs at least one member");
    }
    Set<String> ids = new HashSet<>();
    Set<HostAndPort> addresses = new HashSet<>();
    for (Member member : members) {
      if (!ids.add(member.id())) {
        throw new IllegalArgumentException("member ID " + Quote.of(member.id()) + " is listed twice");
      }
      if (!addresses.add(member.address())) {
        throw new IllegalArgumentException(
            "address " + member.address() + " is listed for two members");
      }
    }
  }

  /**
   * Parses {@code ID:HOST:PORT,ID:HOST:PORT,...}.
   *
   * @throws IllegalArgumentException naming the first bad entry and what is wrong with it
   */
  public static RaftPeers parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty --raft-peers: expected ID:HOST:PORT,ID:HOST:PORT,...");
    }
    List<Member> members = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      String trimmed = entry.strip();
      int colon = trimmed.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "bad raft peer " + Quote.of(trimmed) + ": expected ID:HOST:PORT");
      }
      String id = trimmed.substring(0, colon);
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "bad raft peer " + Quote.of(trimmed) + ": the ID " + Quote.of(id)
                + " must be 1 to 64 letters, digits, '_' or '-'");
      }
      HostAndPort address;
      try {
        address = Addresses.parse(trimmed.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad raft peer " + Quote.of(trimmed) + ": " + e.getMessage(), e);
      }
      members.add(new Member(id, address));
    }
    return new RaftPeers(members);
  }

  /** Returns the member called {@code id}, if it is one. */
  public Optional<Member> member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /** Returns the member called {@code id}, or throws naming the IDs listed. */
  public Member require(String id) {
    return member(id)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--raft-id " + Quote.of(id) + " is not one of the --raft-peers IDs "
                        + members.stream().map(Member::id).toList()));
  }

  /** How many members make a majority. */
  public int majority() {
    return members.size() / 2 + 1;
  }

  @Override
  public String toString() {
    return String.join(
        ",", members.stream().map(m -> m.id() + ":" + m.address()).toList());
  }
}
