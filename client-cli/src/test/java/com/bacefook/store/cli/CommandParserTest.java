package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.ShardRange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandParserTest {
  private static Command parse(String line) throws UsageException {
    Optional<Command> command = CommandParser.parse(line);
    assertThat(command).as("command of %s", line).isPresent();
    return command.get();
  }

  @Test
  void blankAndCommentLinesHoldNoCommand() throws UsageException {
    assertThat(CommandParser.parse("")).isEmpty();
    assertThat(CommandParser.parse("   ")).isEmpty();
    assertThat(CommandParser.parse("  # put user_1 x")).isEmpty();
  }

  @Test
  void parsesShardmasterCommands() throws UsageException {
    assertThat(parse("join 127.0.0.1:5001")).isEqualTo(new Command.Join("127.0.0.1:5001", false));
    assertThat(parse("join --force 127.0.0.1:5001"))
        .isEqualTo(new Command.Join("127.0.0.1:5001", true));
    assertThat(parse("leave a:1 b:2")).isEqualTo(new Command.Leave(List.of("a:1", "b:2")));
    assertThat(parse("leave g1 a:1")).isEqualTo(new Command.Leave(List.of("g1", "a:1")));
    assertThat(parse("move 127.0.0.1:5001 0 100"))
        .isEqualTo(new Command.Move("127.0.0.1:5001", new ShardRange(0, 100)));
    assertThat(parse("query")).isEqualTo(new Command.Query());
    assertThat(parse("gdpr user_5")).isEqualTo(new Command.Gdpr("user_5"));
  }

  @Test
  void parsesKeyCommands() throws UsageException {
    assertThat(parse("get user_1")).isEqualTo(new Command.Get("user_1"));
    assertThat(parse("get all_users")).isEqualTo(new Command.AllUsers());
    assertThat(parse("put user_1 Alice")).isEqualTo(new Command.Put("user_1", "Alice", ""));
    assertThat(parse("put post_3 \"hello world\" user_1"))
        .isEqualTo(new Command.Put("post_3", "hello world", "user_1"));
    assertThat(parse("append post_3 ' again'")).isEqualTo(new Command.Append("post_3", " again"));
    assertThat(parse("delete post_3")).isEqualTo(new Command.Delete("post_3"));
  }

  @Test
  void parsesSessionCommandsInAnyCase() throws UsageException {
    assertThat(parse("help")).isEqualTo(new Command.Help());
    assertThat(parse("QUIT")).isEqualTo(new Command.Quit());
    assertThat(parse("exit")).isEqualTo(new Command.Quit());
    assertThat(parse("Get user_1")).isEqualTo(new Command.Get("user_1"));
  }

  @Test
  void normalizesAddresses() throws UsageException {
    assertThat(parse("join  127.0.0.1:5001 ")).isEqualTo(new Command.Join("127.0.0.1:5001", false));
    assertThat(parse("join [::1]:5001")).isEqualTo(new Command.Join("[::1]:5001", false));
  }

  @Test
  void wrongArgumentCountsSayTheUsage() {
    assertUsage("join", "join takes 1 argument, got 0; usage: join [--force] <host:port>");
    assertUsage("join --force", "join takes 1 argument, got 0; usage: join [--force] <host:port>");
    assertUsage("join a:1 b:2", "join takes 1 argument, got 2; usage: join [--force] <host:port>");
    assertUsage("join a:1 --force", "join takes 1 argument, got 2; usage: join [--force] <host:port>");
    assertUsage("leave", "leave takes at least 1 argument, got 0; usage: leave <host:port|group>...");
    assertUsage(
        "move a:1 3", "move takes 3 arguments, got 2; usage: move <host:port> <lower> <upper>");
    assertUsage("query now", "query takes 0 arguments, got 1; usage: query");
    assertUsage("get", "get takes 1 argument, got 0; usage: get <key>");
    assertUsage("put user_1", "put takes 2 to 3 arguments, got 1; usage: put <key> <value> [user]");
    assertUsage(
        "put post_1 a b c", "put takes 2 to 3 arguments, got 4; usage: put <key> <value> [user]");
    assertUsage("append post_1", "append takes 2 arguments, got 1; usage: append <key> <value>");
    assertUsage("delete", "delete takes 1 argument, got 0; usage: delete <key>");
    assertUsage("gdpr", "gdpr takes 1 argument, got 0; usage: gdpr <user_N>");
  }

  @Test
  void badBoundsAreUsageErrors() {
    assertUsage(
        "move a:1 zero 5",
        "bad lower bound 'zero': expected a key ID in [0, 1000]; usage: move <host:port> <lower>"
            + " <upper>");
    assertUsage(
        "move a:1 0 1e3",
        "bad upper bound '1e3': expected a key ID in [0, 1000]; usage: move <host:port> <lower>"
            + " <upper>");
    assertUsage("move a:1 5 1", "bad range [5, 1]: lower is greater than upper");
    assertUsage("move a:1 0 1001", "bad range [0, 1001]: IDs must lie in [0, 1000]");
    assertUsage("move a:1 -1 4", "bad range [-1, 4]: IDs must lie in [0, 1000]");
  }

  @Test
  void badAddressesAreUsageErrors() {
    assertUsage("join localhost", "bad server address 'localhost': expected host:port");
    assertUsage("join :5001", "bad server address ':5001': expected host:port");
    assertThatThrownBy(() -> CommandParser.parse("join host:port"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("bad server address 'host:port'");
    assertUsage("leave a:1 no:pe", "bad server address 'no:pe': expected host:port");
    assertUsage(
        "leave a:1 \"g 1\"",
        "bad server address or group name 'g 1': expected host:port or a name of letters, digits,"
            + " '.', '_' and '-'");
    assertUsage("move a 0 1", "bad server address 'a': expected host:port");
  }

  @Test
  void unknownCommandsAndBadQuotesAreUsageErrors() {
    assertUsage("fetch user_1", "unknown command 'fetch'; type help for the list of commands");
    assertUsage("put user_1 'Alice", "unterminated ' quote at column 12");
  }

  @Test
  void helpNamesEveryCommand() {
    String help = String.join("\n", CommandParser.HELP);
    for (String command : CommandParser.COMMANDS) {
      assertThat(help).contains(command);
    }
  }

  private static void assertUsage(String line, String message) {
    assertThatThrownBy(() -> CommandParser.parse(line))
        .as(line)
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }
}
