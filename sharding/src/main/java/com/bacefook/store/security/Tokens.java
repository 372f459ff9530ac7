package com.bacefook.store.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The tokens a process holds, each optional: the admin token (Join, Leave, Move, GDPRDelete), the cluster
 * token (server-to-server calls) and the client token (key reads and writes). A server checks calls
 * against the ones it holds; a client sends, per method, the one that method needs.
 */
public record Tokens(Optional<Secret> admin, Optional<Secret> cluster, Optional<Secret> client) {
  /** No tokens: every method open, nothing sent. */
  public static final Tokens NONE = new Tokens(Optional.empty(), Optional.empty(), Optional.empty());

  /** Returns whether no token is held. */
  public boolean isEmpty() {
    return admin.isEmpty() && cluster.isEmpty() && client.isEmpty();
  }

  /**
   * Returns the tokens a server accepts for {@code access}, or an empty list if it is open: the admin
   * or cluster token for their own methods, and any of the three for reads and key operations once a
   * client token is set.
   */
  public List<Secret> accepted(Access access) {
    return switch (access) {
      case ADMIN -> admin.stream().toList();
      case CLUSTER -> cluster.stream().toList();
      case DATA, READ ->
          client.isEmpty() ? List.of() : Stream.of(client, cluster, admin).flatMap(Optional::stream).toList();
    };
  }

  /**
   * Returns the token a client sends for {@code access}: the admin or cluster token for their methods;
   * for the others the cluster token if held (servers), else the client token, else the admin token.
   */
  public Optional<Secret> toSend(Access access) {
    return switch (access) {
      case ADMIN -> admin;
      case CLUSTER -> cluster;
      case DATA, READ -> cluster.or(() -> client).or(() -> admin);
    };
  }

  /** Returns what a server holding these tokens leaves open, like {@code "admin RPCs"}; empty if nothing. */
  public List<String> openings() {
    List<String> open = new ArrayList<>();
    if (admin.isEmpty()) {
      open.add("admin RPCs (Join/Leave/Move/GDPRDelete; no --admin-token-file)");
    }
    if (cluster.isEmpty()) {
      open.add("server-to-server RPCs (handoffs, post lists, erase deletes; no --cluster-token-file)");
    }
    if (client.isEmpty()) {
      open.add("reads and key operations (Query, Status, Health, Get/Put/Append/Delete; no --client-token-file)");
    }
    return open;
  }
}
