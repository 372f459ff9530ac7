package com.bacefook.store.client;

import java.util.List;

/** The users one server holds, as its {@code all_users} lists them. */
public record ServerUsers(String server, List<String> users) {
  /** Copies {@code users}. */
  public ServerUsers {
    users = List.copyOf(users);
  }
}
