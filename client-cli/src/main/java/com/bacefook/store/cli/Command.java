package com.bacefook.store.cli;

import com.bacefook.store.sharding.ShardRange;
import java.nio.file.Path;
import java.util.List;

/** One command of the shell, parsed and checked, ready to run. */
public sealed interface Command {
  /**
   * {@code join [--force] <host:port>}: adds a server to the cluster; unless {@code force}, only
   * once the server has answered as a shardkv server.
   */
  record Join(String server, boolean force) implements Command {}

  /**
   * {@code leave <host:port|group>...}: removes servers, or replica groups by name, from the cluster
   * (all of them or none).
   */
  record Leave(List<String> servers) implements Command {
    /** Copies {@code servers}. */
    public Leave {
      servers = List.copyOf(servers);
    }
  }

  /** {@code move <host:port> <lower> <upper>}: gives exactly {@code range} to {@code server}. */
  record Move(String server, ShardRange range) implements Command {}

  /** {@code query}: shows the current configuration. */
  record Query() implements Command {}

  /** {@code status}: every server's health, configuration, keys and handoffs. */
  record Status() implements Command {}

  /** {@code get <key>}: shows the value of a key and the server that holds it. */
  record Get(String key) implements Command {}

  /** {@code get all_users}: shows the users of every server. */
  record AllUsers() implements Command {}

  /**
   * {@code put <key> <value> [user]}: stores a value; for a post, {@code user} is its author or "".
   */
  record Put(String key, String value, String user) implements Command {}

  /** {@code append <key> <value>}: appends to a value. */
  record Append(String key, String value) implements Command {}

  /** {@code delete <key>}: deletes a key. */
  record Delete(String key) implements Command {}

  /** {@code gdpr <user_N>}: erases a user and all of their posts. */
  record Gdpr(String user) implements Command {}

  /**
   * {@code import <file> [--strict]}: writes the keys of a JSON-lines file; bad lines are skipped, or
   * with {@code strict} abort the import before anything is written.
   */
  record Import(Path file, boolean strict) implements Command {}

  /** {@code export [file]}: every key as JSON lines, into {@code file} (null: onto the output). */
  record Export(Path file) implements Command {}

  /** {@code help}: lists the commands. */
  record Help() implements Command {}

  /** {@code quit} or {@code exit}: ends the session. */
  record Quit() implements Command {}
}
