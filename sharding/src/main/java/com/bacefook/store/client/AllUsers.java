package com.bacefook.store.client;

import io.grpc.StatusRuntimeException;
import java.util.List;

/**
 * What {@code all_users} gathered from the servers of a configuration: the users of each server
 * that answered and, apart, the servers that did not, each with the error its call ended with.
 * Both lists keep the configuration's server order.
 */
public record AllUsers(List<ServerUsers> answered, List<Unanswered> unanswered) {
  /** Copies both lists. */
  public AllUsers {
    answered = List.copyOf(answered);
    unanswered = List.copyOf(unanswered);
  }

  /** A server that did not answer, and why. */
  public record Unanswered(String server, StatusRuntimeException error) {}
}
