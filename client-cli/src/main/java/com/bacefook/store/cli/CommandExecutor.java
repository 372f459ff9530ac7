package com.bacefook.store.cli;

import com.bacefook.store.client.AllUsers;
import com.bacefook.store.client.Reply;
import com.bacefook.store.client.ServerProbe;
import com.bacefook.store.client.ServerUsers;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.proto.ServerStatus;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Runs commands against the shardmaster and the store and prints each outcome to a writer: key
 * commands name the server that answered, and every failure is a single line starting with {@code
 * error: }. It never throws for a failed command, so a shell can go on after any of them.
 */
public final class CommandExecutor {
  /** What running one command came to. */
  public enum Outcome {
    /** The command did what it was asked. */
    DONE,
    /** The command failed, or did only part of what it was asked; it printed why. */
    FAILED,
    /** The command ends the session. */
    QUIT
  }

  private final ShardmasterClient shardmaster;
  private final StoreClient store;
  private final ServerProbe probe;
  private final PrintWriter out;

  /**
   * Creates an executor that talks to {@code shardmaster} and {@code store}, asks servers about to
   * join with {@code probe}, and prints to {@code out}.
   */
  public CommandExecutor(
      ShardmasterClient shardmaster, StoreClient store, ServerProbe probe, PrintWriter out) {
    this.shardmaster = shardmaster;
    this.store = store;
    this.probe = probe;
    this.out = out;
  }

  /** Runs {@code command}, prints its outcome and flushes. */
  public Outcome execute(Command command) {
    boolean done;
    try {
      done = run(command);
    } catch (RuntimeException e) {
      out.println(Formats.error(e));
      done = false;
    }
    out.flush();
    if (command instanceof Command.Quit) {
      return Outcome.QUIT;
    }
    return done ? Outcome.DONE : Outcome.FAILED;
  }

  /** Prints a usage error as a single line. */
  public void reportUsage(UsageException e) {
    out.println("error: " + e.getMessage());
    out.flush();
  }

  /** Runs {@code command} and prints its outcome; returns false if it printed a failure. */
  private boolean run(Command command) {
    if (command instanceof Command.Join join) {
      return join(join);
    } else if (command instanceof Command.Leave leave) {
      shardmaster.leave(leave.servers());
      configurationChanged();
      out.println("OK: " + String.join(", ", leave.servers()) + " left");
    } else if (command instanceof Command.Move move) {
      shardmaster.move(move.server(), move.range());
      configurationChanged();
      out.println("OK: " + move.range() + " moved to " + move.server());
    } else if (command instanceof Command.Query) {
      Formats.configurationTable(shardmaster.query()).forEach(out::println);
    } else if (command instanceof Command.Status) {
      Formats.statusTable(store.serverReports()).forEach(out::println);
    } else if (command instanceof Command.Get get) {
      Reply<String> reply = store.get(get.key());
      out.println(Formats.quote(reply.value()) + " (from " + reply.server() + ")");
    } else if (command instanceof Command.AllUsers) {
      return printAllUsers();
    } else if (command instanceof Command.Put put) {
      printOk(store.put(put.key(), put.value(), put.user()));
    } else if (command instanceof Command.Append append) {
      printOk(store.append(append.key(), append.value()));
    } else if (command instanceof Command.Delete delete) {
      printOk(store.delete(delete.key()));
    } else if (command instanceof Command.Gdpr gdpr) {
      shardmaster.gdprDelete(gdpr.user());
      out.println("OK: " + gdpr.user() + " and their posts erased");
    } else if (command instanceof Command.Import load) {
      new Importer(store, out).run(load.file(), load.strict());
    } else if (command instanceof Command.Export dump) {
      new Exporter(store, out).run(dump.file());
    } else if (command instanceof Command.Help) {
      CommandParser.HELP.forEach(out::println);
    } else if (!(command instanceof Command.Quit)) {
      throw new IllegalStateException("unhandled command " + command);
    }
    return true;
  }

  private boolean join(Command.Join join) {
    if (!join.force()) {
      Optional<String> problem = probe.problem(join.server());
      if (problem.isPresent()) {
        out.println(
            "error: not joining "
                + join.server()
                + ": "
                + problem.get()
                + "; 'join --force "
                + join.server()
                + "' adds it anyway");
        return false;
      }
    }
    Optional<ServerStatus> status =
        join.force() ? Optional.empty() : probe.report(join.server()).status();
    Optional<GroupJoin> group = status.flatMap(GroupJoin::of);
    if (group.isPresent()) {
      shardmaster.join(group.get().leader(), Optional.of(group.get().replicas()));
      configurationChanged();
      out.println(
          "OK: replica group " + group.get().replicas().name() + " joined under its leader "
              + group.get().leader() + " (replicas " + String.join(", ", group.get().replicas().replicas())
              + ")");
      return true;
    }
    shardmaster.join(join.server());
    configurationChanged();
    out.println("OK: " + join.server() + " joined");
    return true;
  }

  /**
   * Routes the next key commands by the configuration just made, so they go to the new owners
   * rather than to old ones that have not heard of the change yet.
   */
  private void configurationChanged() {
    try {
      store.refreshConfiguration();
    } catch (StatusRuntimeException e) {
      // Only a cache warm-up: the next key command refreshes the configuration when it needs to.
    }
  }

  private void printOk(Reply<Void> reply) {
    out.println("OK (" + reply.server() + ")");
  }

  /** Prints the users of each server that answered, then one error line per server that did not. */
  private boolean printAllUsers() {
    AllUsers all = store.allUsers();
    if (all.answered().isEmpty() && all.unanswered().isEmpty()) {
      out.println("no servers in the configuration");
      return true;
    }
    for (ServerUsers entry : all.answered()) {
      String users = entry.users().isEmpty() ? "(no users)" : String.join(", ", entry.users());
      out.println(entry.server() + ": " + users);
    }
    for (AllUsers.Unanswered entry : all.unanswered()) {
      out.println("error: no answer from " + entry.server() + ": " + Formats.failure(entry.error()));
    }
    return all.unanswered().isEmpty();
  }
}
