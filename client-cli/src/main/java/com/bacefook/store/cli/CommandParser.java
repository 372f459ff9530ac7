package com.bacefook.store.cli;

import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.sharding.Quote;
import com.bacefook.store.sharding.ShardRange;
import com.bacefook.store.sharding.SocialKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a line of input into a {@link Command}, or a {@link UsageException} that says what is
 * wrong. Pure: no I/O, no network. Addresses and ranges are checked here; keys are checked by the
 * store.
 */
public final class CommandParser {
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** The help text, one line per command. */
  public static final List<String> HELP =
      List.of(
          "commands:",
          "  join [--force] <host:port>        add a server (--force: even if it does not answer)",
          "  leave <host:port|group>...        remove servers (or replica groups) from the cluster",
          "  move <host:port> <lower> <upper>  give key IDs [lower, upper] to a server",
          "  query                             show the configuration",
          "  status                            show each server's health, keys and handoffs",
          "  get <key>                         show a value and the server that holds it",
          "  get all_users                     show the users held by each server",
          "  put <key> <value> [user]          store a value (for a post, user is its author)",
          "  append <key> <value>              append to a value",
          "  delete <key>                      delete a key",
          "  gdpr <user_N>                     erase a user and all of their posts",
          "  import <file> [--strict]          write JSON lines {\"key\":..,\"value\":..,\"user\":..};"
              + " --strict: any bad line aborts before writing",
          "  export [file]                     every key as JSON lines, into a file or onto the output",
          "  help                              show this list",
          "  quit | exit                       leave the shell",
          "values with spaces go in quotes: put post_3 \"hello world\" user_1");

  /** The command names, for completion. */
  public static final List<String> COMMANDS =
      List.of(
          "join", "leave", "move", "query", "status", "get", "put", "append", "delete", "gdpr", "import",
          "export", "help",
          "quit", "exit");

  /** The flag that makes {@code join} skip asking the server first. */
  static final String FORCE = "--force";

  private CommandParser() {}

  /**
   * Parses {@code line}. Blank lines and lines starting with {@code #} hold no command.
   *
   * @throws UsageException if the line is not a valid command
   */
  public static Optional<Command> parse(String line) throws UsageException {
    if (line.isBlank() || line.strip().startsWith("#")) {
      return Optional.empty();
    }
    List<String> words = Tokenizer.tokenize(line);
    if (words.isEmpty()) {
      return Optional.empty();
    }
    String name = words.get(0).toLowerCase(Locale.ROOT);
    List<String> args = words.subList(1, words.size());
    return Optional.of(
        switch (name) {
          case "join" -> {
            boolean force = !args.isEmpty() && args.get(0).equals(FORCE);
            List<String> servers = force ? args.subList(1, args.size()) : args;
            expect(servers, 1, 1, "join [--force] <host:port>");
            yield new Command.Join(address(servers.get(0)), force);
          }
          case "leave" -> {
            expect(args, 1, Integer.MAX_VALUE, "leave <host:port|group>...");
            List<String> servers = new ArrayList<>(args.size());
            for (String arg : args) {
              servers.add(arg.contains(":") ? address(arg) : groupName(arg));
            }
            yield new Command.Leave(servers);
          }
          case "move" -> {
            String usage = "move <host:port> <lower> <upper>";
            expect(args, 3, 3, usage);
            String server = address(args.get(0));
            yield new Command.Move(server, range(args.get(1), args.get(2), usage));
          }
          case "query" -> {
            expect(args, 0, 0, "query");
            yield new Command.Query();
          }
          case "status" -> {
            expect(args, 0, 0, "status");
            yield new Command.Status();
          }
          case "get" -> {
            expect(args, 1, 1, "get <key>");
            yield args.get(0).equals(SocialKeys.ALL_USERS)
                ? new Command.AllUsers()
                : new Command.Get(args.get(0));
          }
          case "put" -> {
            expect(args, 2, 3, "put <key> <value> [user]");
            yield new Command.Put(args.get(0), args.get(1), args.size() == 3 ? args.get(2) : "");
          }
          case "append" -> {
            expect(args, 2, 2, "append <key> <value>");
            yield new Command.Append(args.get(0), args.get(1));
          }
          case "delete" -> {
            expect(args, 1, 1, "delete <key>");
            yield new Command.Delete(args.get(0));
          }
          case "gdpr" -> {
            expect(args, 1, 1, "gdpr <user_N>");
            yield new Command.Gdpr(args.get(0));
          }
          case "import" -> ImportExportArgs.importCommand(args);
          case "export" -> ImportExportArgs.exportCommand(args);
          case "help", "?" -> new Command.Help();
          case "quit", "exit" -> new Command.Quit();
          default ->
              throw new UsageException(
                  "unknown command '" + words.get(0) + "'; type help for the list of commands");
        });
  }

  private static void expect(List<String> args, int min, int max, String usage)
      throws UsageException {
    if (args.size() >= min && args.size() <= max) {
      return;
    }
    String wanted;
    if (min == max) {
      wanted = min + (min == 1 ? " argument" : " arguments");
    } else if (max == Integer.MAX_VALUE) {
      wanted = "at least " + min + (min == 1 ? " argument" : " arguments");
    } else {
      wanted = min + " to " + max + " arguments";
    }
    String command = usage.split(" ", 2)[0];
    throw new UsageException(
        command + " takes " + wanted + ", got " + args.size() + "; usage: " + usage);
  }

  /** A replica group's name, for {@code leave}: letters, digits, '.', '_' and '-'. */
  private static String groupName(String text) throws UsageException {
    if (!GROUP_NAME.matcher(text).matches()) {
      throw new UsageException(
          "bad server address or group name " + Quote.of(text)
              + ": expected host:port or a name of letters, digits, '.', '_' and '-'");
    }
    return text;
  }

  private static String address(String text) throws UsageException {
    try {
      return Addresses.parse(text).toString();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static ShardRange range(String lower, String upper, String usage) throws UsageException {
    long low = bound(lower, "lower", usage);
    long high = bound(upper, "upper", usage);
    try {
      return ShardRange.validated(low, high);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static long bound(String text, String which, String usage) throws UsageException {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new UsageException(
          "bad "
              + which
              + " bound '"
              + text
              + "': expected a key ID in [0, 1000]; usage: "
              + usage);
    }
  }
}
