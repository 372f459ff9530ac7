package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.bacefook.store.client.ServerProbe;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.testkit.FreePorts;
import com.bacefook.store.testkit.MiniCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs parsed commands against a real {@link MiniCluster} and checks what the executor prints. */
class CommandExecutorTest {
  private MiniCluster cluster;
  private StringWriter buffer;
  private CommandExecutor executor;
  private int printed;

  @BeforeEach
  void startCluster() {
    buffer = new StringWriter();
    use(MiniCluster.start());
  }

  /** Runs the next commands against {@code next}, which replaces (and closes) the cluster so far. */
  private void use(MiniCluster next) {
    if (cluster != null) {
      cluster.close();
    }
    cluster = next;
    executor =
        new CommandExecutor(
            cluster.shardmasterClient(),
            cluster.newStoreClient(Duration.ofSeconds(5), Duration.ofSeconds(2)),
            new ServerProbe(cluster.channels(), Duration.ofSeconds(2)),
            new PrintWriter(buffer));
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  /** Parses and runs {@code line} as the shell does; returns the lines it printed. */
  private List<String> run(String line) {
    try {
      Optional<Command> command = CommandParser.parse(line);
      command.ifPresent(executor::execute);
    } catch (UsageException e) {
      executor.reportUsage(e);
    }
    return printed();
  }

  /** Returns the lines printed since the last call. */
  private List<String> printed() {
    String all = buffer.toString();
    String added = all.substring(printed);
    printed = all.length();
    return added.isEmpty()
        ? List.of()
        : Arrays.asList(added.split("\n", -1)).subList(0, lines(added));
  }

  private static int lines(String text) {
    return (int) text.chars().filter(c -> c == '\n').count();
  }

  private String runOne(String line) {
    List<String> output = run(line);
    assertThat(output).as("output of %s", line).hasSize(1);
    return output.get(0);
  }

  @Test
  void keyCommandsNameTheServerThatAnswered() {
    String first = cluster.startServer();
    String second = cluster.startServer();
    assertThat(runOne("join " + first)).isEqualTo("OK: " + first + " joined");
    assertThat(runOne("put user_1 Alice")).isEqualTo("OK (" + first + ")");
    assertThat(runOne("put user_600 \"Bob Builder\"")).isEqualTo("OK (" + first + ")");
    assertThat(runOne("get user_1")).isEqualTo("\"Alice\" (from " + first + ")");

    assertThat(runOne("join " + second)).isEqualTo("OK: " + second + " joined");
    // The client routes to the new owner at once; the value shows up there once the old owner has
    // handed it over.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runOne("get user_600"), equalTo("\"Bob Builder\" (from " + second + ")"));
    assertThat(runOne("get user_1")).isEqualTo("\"Alice\" (from " + first + ")");
    assertThat(runOne("delete user_600")).isEqualTo("OK (" + second + ")");
    assertThat(runOne("get user_600")).isEqualTo("error: NOT_FOUND: no value for key 'user_600'");
  }

  @Test
  void queryPrintsATable() {
    assertThat(run("query")).containsExactly("configuration #0: no servers");
    String first = cluster.startAndJoin();
    String second = cluster.startAndJoin();

    List<String> table = run("query");

    String row = "%-" + first.length() + "s  %5s  %s";
    assertThat(first).hasSameSizeAs(second);
    assertThat(table)
        .containsExactly(
            "configuration #2: 2 servers",
            String.format(row, "SERVER", "IDS", "RANGES"),
            String.format(row, first, 501, "[0,500]"),
            String.format(row, second, 500, "[501,1000]"));
  }

  @Test
  void statusShowsEachServersHealthConfigurationAndKeys() {
    assertThat(run("status")).containsExactly("no servers in the configuration");
    String first = cluster.startAndJoin();
    String second = cluster.startAndJoin();
    runOne("put user_1 Ann");
    runOne("put user_2 Bob");
    runOne("put user_900 Cy");
    cluster.stopServer(second);

    List<String> table = run("status");

    assertThat(table.get(0)).startsWith("SERVER").contains("HEALTH", "CONFIG", "KEYS", "HANDOFFS");
    assertThat(table.get(1).split(" +"))
        .containsExactly(first, "SERVING", "#2", "2", "in-memory", "none");
    assertThat(table.get(2)).isEqualTo("  [0,500] serving");
    assertThat(table.get(3).split(" +")).containsExactly(second, "UNAVAILABLE", "-", "-", "-", "-");
  }

  @Test
  void joinThroughAFollowerListsTheGroupUnderItsLeaderAndQueryAndStatusShowItsReplicas(
      @TempDir Path data) {
    use(MiniCluster.startDurable(data));
    List<String> members =
        cluster.startGroup(
            "g1",
            3,
            GroupMember.Options.DEFAULT.withElectionTimeout(
                TimeDuration.valueOf(500, TimeUnit.MILLISECONDS)),
            false);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                members.stream()
                    .allMatch(
                        m ->
                            !cluster.server(m).status().getLeader().isEmpty()
                                && cluster.server(m).status().getReplicasList().stream()
                                    .noneMatch(r -> r.getAddress().isEmpty())));
    String leader = cluster.server(members.get(0)).status().getLeader();
    String follower = members.stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();

    assertThat(run("join " + follower))
        .containsExactly(
            "OK: replica group g1 joined under its leader " + leader + " (replicas "
                + String.join(", ", members) + ")");
    assertThat(runOne("join " + follower))
        .isEqualTo(
            "error: INVALID_ARGUMENT: server " + leader
                + " has already joined, leading replica group 'g1'");
    assertThat(runOne("join --force " + follower))
        .isEqualTo(
            "error: INVALID_ARGUMENT: '" + follower + "' is a replica of replica group 'g1', which"
                + " has already joined, listed under its leader " + leader
                + " in configuration #1; nothing was changed");
    assertThat(run("query"))
        .endsWith(
            String.format("%-" + leader.length() + "s  %5s  %s", leader, 1001, "[0,1000]"),
            "  group g1: leader " + leader + ", replicas " + String.join(" ", members));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<String> table = run("status");
              assertThat(table.get(1)).startsWith(leader);
              assertThat(table.subList(2, 6))
                  .containsExactly(
                      "  group g1: member " + cluster.server(leader).status().getRaftId()
                          + " is leader",
                      replicaLine("m0", members.get(0), leader),
                      replicaLine("m1", members.get(1), leader),
                      replicaLine("m2", members.get(2), leader));
            });
    assertThat(runOne("leave g1")).isEqualTo("OK: g1 left");
    assertThat(run("query")).containsExactly("configuration #2: no servers");
  }

  private static String replicaLine(String id, String address, String leader) {
    return "  replica " + id + " " + address + " "
        + (address.equals(leader) ? "leader" : "follower") + " healthy lag 0";
  }

  @Test
  void moveAndLeaveChangeTheConfiguration() {
    String first = cluster.startAndJoin();
    String second = cluster.startAndJoin();

    assertThat(runOne("move " + first + " 900 910")).isEqualTo("OK: [900,910] moved to " + first);
    List<String> table = run("query");
    assertThat(table.get(0)).isEqualTo("configuration #3: 2 servers");
    assertThat(table.get(2)).startsWith(first).endsWith(" 512  [0,500] [900,910]");
    assertThat(table.get(3)).startsWith(second).endsWith(" 489  [501,899] [911,1000]");

    assertThat(runOne("leave " + second)).isEqualTo("OK: " + second + " left");
    assertThat(run("query"))
        .containsExactly(
            "configuration #4: 1 server",
            String.format("%-" + first.length() + "s  %5s  %s", "SERVER", "IDS", "RANGES"),
            String.format("%-" + first.length() + "s  %5s  %s", first, 1001, "[0,1000]"));
  }

  @Test
  void valuesAreQuotedAndEscaped() {
    String server = cluster.startAndJoin();
    assertThat(runOne("put user_1 'Zoë \"Z\" O\\Brien'")).isEqualTo("OK (" + server + ")");
    assertThat(runOne("get user_1"))
        .isEqualTo("\"Zoë \\\"Z\\\" O\\\\Brien\" (from " + server + ")");
    assertThat(runOne("put post_2 \"\"")).isEqualTo("OK (" + server + ")");
    assertThat(runOne("get post_2")).isEqualTo("\"\" (from " + server + ")");
  }

  @Test
  void appendExtendsAValue() {
    String server = cluster.startAndJoin();
    assertThat(runOne("append post_4 abc")).isEqualTo("OK (" + server + ")");
    assertThat(runOne("append post_4 ' def'")).isEqualTo("OK (" + server + ")");
    assertThat(runOne("get post_4")).isEqualTo("\"abc def\" (from " + server + ")");
  }

  @Test
  void postsJoinTheirAuthorsListAndGdprErasesThem() {
    String first = cluster.startAndJoin();
    String second = cluster.startAndJoin();
    run("put user_1 Alice");
    run("put user_700 Carol");
    assertThat(runOne("put post_2 \"hello world\" user_1")).isEqualTo("OK (" + first + ")");
    assertThat(runOne("put post_900 'x y' user_1")).isEqualTo("OK (" + second + ")");
    assertThat(runOne("get user_1_posts")).isEqualTo("\"post_2,post_900,\" (from " + first + ")");
    assertThat(run("get all_users")).containsExactly(first + ": user_1", second + ": user_700");

    assertThat(runOne("gdpr user_1")).isEqualTo("OK: user_1 and their posts erased");

    for (String key : List.of("user_1", "user_1_posts", "post_2", "post_900")) {
      assertThat(runOne("get " + key))
          .isEqualTo("error: NOT_FOUND: no value for key '" + key + "'");
    }
    assertThat(run("get all_users")).containsExactly(first + ": (no users)", second + ": user_700");
    assertThat(runOne("gdpr user_1")).isEqualTo("error: NOT_FOUND: unknown user user_1");
  }

  @Test
  void failuresAreSingleErrorLines() {
    String server = cluster.startAndJoin();
    assertThat(runOne("get user_5")).isEqualTo("error: NOT_FOUND: no value for key 'user_5'");
    assertThat(runOne("delete user_5")).isEqualTo("error: NOT_FOUND: no value for key 'user_5'");
    assertThat(runOne("get nokey")).startsWith("error: INVALID_ARGUMENT: key 'nokey' has no '_'");
    assertThat(runOne("get user_1001"))
        .isEqualTo("error: INVALID_ARGUMENT: key 'user_1001': ID '1001' is out of range [0, 1000]");
    for (String line : List.of("put all_users x", "append all_users x", "delete all_users")) {
      assertThat(runOne(line))
          .as(line)
          .isEqualTo(
              "error: INVALID_ARGUMENT: all_users is kept by each server and cannot be written");
    }
    assertThat(runOne("join " + server))
        .isEqualTo("error: INVALID_ARGUMENT: server " + server + " has already joined");
    assertThat(runOne("move 127.0.0.1:1 0 10"))
        .startsWith("error: INVALID_ARGUMENT: server '127.0.0.1:1' is not part of configuration #1");
    assertThat(runOne("gdpr post_1")).startsWith("error: INVALID_ARGUMENT: ");
    assertThat(runOne("move " + server + " 10 1"))
        .isEqualTo("error: bad range [10, 1]: lower is greater than upper");
    assertThat(runOne("put user_1")).startsWith("error: put takes 2 to 3 arguments, got 1");
    assertThat(runOne("frobnicate")).startsWith("error: unknown command 'frobnicate'");
    assertThat(runOne("get user_1 'oops")).isEqualTo("error: unterminated ' quote at column 12");
  }

  @Test
  void keysThatNoServerOwnsSayToJoinOne() {
    executor =
        new CommandExecutor(
            cluster.shardmasterClient(),
            cluster.newStoreClient(Duration.ofMillis(300), Duration.ofMillis(200)),
            new ServerProbe(cluster.channels(), Duration.ofSeconds(2)),
            new PrintWriter(buffer));
    assertThat(runOne("get user_1"))
        .isEqualTo(
            "error: UNAVAILABLE: no server owns key 'user_1' (ID 1) in configuration #0;"
                + " join a server first");
  }

  @Test
  void anUnreachableShardmasterIsOneErrorLinePerCommand() {
    String nowhere = "127.0.0.1:" + FreePorts.next();
    try (ChannelPool channels = new ChannelPool()) {
      ShardmasterClient shardmaster =
          new ShardmasterClient(
              channels.channel(nowhere), Duration.ofSeconds(2), Duration.ofSeconds(2));
      StoreClient store =
          new StoreClient(
              new ShardmasterConfigurationSource(shardmaster),
              channels,
              Duration.ofSeconds(2),
              Duration.ofSeconds(1));
      executor =
          new CommandExecutor(
              shardmaster,
              store,
              new ServerProbe(channels, Duration.ofSeconds(2)),
              new PrintWriter(buffer));
      for (String line :
          List.of(
              "query", "join --force 127.0.0.1:5001", "get user_1", "get all_users", "gdpr user_1")) {
        assertThat(runOne(line))
            .as(line)
            .isEqualTo(
                "error: UNAVAILABLE: cannot connect to " + nowhere + " (connection refused)");
      }
    }
  }

  @Test
  void joinRefusesAnAddressWhereNothingListensUnlessForced() {
    String nobody = "127.0.0.1:" + FreePorts.next();

    assertThat(runOne("join " + nobody))
        .isEqualTo(
            "error: not joining " + nobody + ": nothing answers at " + nobody
                + " (connection refused); 'join --force " + nobody + "' adds it anyway");
    assertThat(run("query")).containsExactly("configuration #0: no servers");

    assertThat(runOne("join --force " + nobody)).isEqualTo("OK: " + nobody + " joined");
    assertThat(run("query").get(0)).isEqualTo("configuration #1: 1 server");
  }

  @Test
  void joinRefusesAServerThatIsNotShardkv() {
    String shardmaster = cluster.shardmasterAddress();

    assertThat(runOne("join " + shardmaster))
        .isEqualTo(
            "error: not joining " + shardmaster + ": " + shardmaster
                + " answers gRPC but is not a shardkv server (no Shardkv service); 'join --force "
                + shardmaster + "' adds it anyway");
    assertThat(run("query")).containsExactly("configuration #0: no servers");
  }

  @Test
  void allUsersShowsTheServersThatAnsweredAndNamesTheOthers() {
    String first = cluster.startAndJoin();
    String second = cluster.startAndJoin();
    runOne("put user_1 Ann");
    runOne("put user_900 Cy");
    cluster.stopServer(second);

    assertThat(executor.execute(new Command.AllUsers())).isEqualTo(CommandExecutor.Outcome.FAILED);
    assertThat(printed())
        .containsExactly(
            first + ": user_1",
            "error: no answer from " + second + ": UNAVAILABLE: cannot connect to " + second
                + " (connection refused)");
  }

  @Test
  void outcomesTellDoneFromFailedAndQuit() {
    String server = cluster.startAndJoin();

    assertThat(executor.execute(new Command.Put("user_1", "Ann", "")))
        .isEqualTo(CommandExecutor.Outcome.DONE);
    assertThat(executor.execute(new Command.Get("user_2")))
        .isEqualTo(CommandExecutor.Outcome.FAILED);
    assertThat(executor.execute(new Command.Join(server, false)))
        .isEqualTo(CommandExecutor.Outcome.FAILED);
    assertThat(executor.execute(new Command.AllUsers())).isEqualTo(CommandExecutor.Outcome.DONE);
    assertThat(executor.execute(new Command.Quit())).isEqualTo(CommandExecutor.Outcome.QUIT);
  }

  @Test
  void helpListsTheCommandsAndQuitEndsTheSession() {
    assertThat(executor.execute(new Command.Help())).isEqualTo(CommandExecutor.Outcome.DONE);
    assertThat(buffer.toString().lines()).containsExactlyElementsOf(CommandParser.HELP);
    assertThat(executor.execute(new Command.Quit())).isEqualTo(CommandExecutor.Outcome.QUIT);
  }
}
