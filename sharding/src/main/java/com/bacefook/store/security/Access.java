package com.bacefook.store.security;

/** What a method needs before a server runs it; {@link MethodAccess} decides it per method. */
public enum Access {
  /** Reading the configuration, health or status: open unless the server has a client token. */
  READ,
  /** Key reads and writes: the client token if the server has one (the cluster and admin tokens also do). */
  DATA,
  /** Changing the configuration or erasing a user: the admin token. */
  ADMIN,
  /** Server-to-server traffic (handoffs, post-list upkeep, erase deletes): the cluster token. */
  CLUSTER
}
