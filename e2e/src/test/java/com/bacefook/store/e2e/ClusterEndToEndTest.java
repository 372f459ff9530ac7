package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.bacefook.store.testkit.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The whole system as an operator runs it: the built shardmaster, shardkv and client jars as
 * separate processes on 127.0.0.1 free ports, driven only through the client's shell and checked
 * only through what it prints.
 */
class ClusterEndToEndTest {
  private static final String USAGE =
      "usage: java -jar client.jar [--keep-going] <SHARDMASTER_HOST> <PORT>"
          + "   (a replicated shardmaster: HOST:PORT,HOST:PORT,HOST:PORT -)"
          + " [--tls-cert FILE --tls-key FILE --tls-ca FILE] [--admin-token-file FILE]"
          + " [--cluster-token-file FILE] [--client-token-file FILE]";

  private static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private ProcessCluster cluster;

  @BeforeEach
  void createCluster(TestInfo test) {
    String run = test.getTestMethod().orElseThrow().getName() + "-" + ProcessHandle.current().pid();
    cluster = new ProcessCluster(Path.of("target", "e2e-logs", run));
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  void dataFollowsItsOwnerAndGdprErasesAUserEverywhere() {
    cluster.startShardmaster();
    List<String> servers = cluster.startShardkvs(3);
    String kv1 = servers.get(0);
    String kv2 = servers.get(1);
    String kv3 = servers.get(2);

    // One server owns everything: users, posts with their authors, and the authors' post lists.
    assertThat(
            cluster.cli(
                "join " + kv1,
                "put user_1 Alice",
                "put user_600 \"Bob Builder\"",
                "put post_2 \"hello world\" user_1",
                "put post_900 'x y' user_1",
                "put post_601 \"bob's first\" user_600",
                "get user_1_posts",
                "get post_2"))
        .containsExactly(
            "OK: " + kv1 + " joined",
            "OK (" + kv1 + ")",
            "OK (" + kv1 + ")",
            "OK (" + kv1 + ")",
            "OK (" + kv1 + ")",
            "OK (" + kv1 + ")",
            "\"post_2,post_900,\" (from " + kv1 + ")",
            "\"hello world\" (from " + kv1 + ")");
    assertThat(allUsers(cluster.cli("get all_users")))
        .isEqualTo(Map.of(kv1, Set.of("user_1", "user_600")));

    // A second server takes [501, 1000]; the keys there move to it and leave the old owner.
    assertThat(cluster.cli("join " + kv2)).containsExactly("OK: " + kv2 + " joined");
    awaitOutput(
        List.of("get user_600", "get post_900", "get post_601", "get user_600_posts"),
        List.of(
            "\"Bob Builder\" (from " + kv2 + ")",
            "\"x y\" (from " + kv2 + ")",
            "\"bob's first\" (from " + kv2 + ")",
            "\"post_601,\" (from " + kv2 + ")"));
    await()
        .atMost(MIGRATION_TIMEOUT)
        .pollInterval(POLL_INTERVAL)
        .until(
            () -> allUsers(cluster.cli("get all_users")),
            users -> users.equals(Map.of(kv1, Set.of("user_1"), kv2, Set.of("user_600"))));

    List<String> query = cluster.cli("query");
    assertThat(query.get(0)).isEqualTo("configuration #2: 2 servers");
    assertThat(rangesByServer(query))
        .containsExactly(Map.entry(kv1, "[0,500]"), Map.entry(kv2, "[501,1000]"));
    assertThat(cluster.cli("get user_1", "get post_2"))
        .containsExactly("\"Alice\" (from " + kv1 + ")", "\"hello world\" (from " + kv1 + ")");

    // A third server joins, and one post is moved to it by hand: user_1's posts now live on two
    // servers other than user_1's own.
    assertThat(cluster.cli("join " + kv3, "move " + kv3 + " 2 2"))
        .containsExactly("OK: " + kv3 + " joined", "OK: [2,2] moved to " + kv3);
    awaitOutput(
        List.of("get post_2", "get post_900", "get post_601"),
        List.of(
            "\"hello world\" (from " + kv3 + ")",
            "\"x y\" (from " + kv3 + ")",
            "\"bob's first\" (from " + kv2 + ")"));
    query = cluster.cli("query");
    assertThat(query.get(0)).isEqualTo("configuration #4: 3 servers");
    assertThat(rangesByServer(query))
        .containsExactly(
            Map.entry(kv1, "[0,1] [3,333]"),
            Map.entry(kv2, "[334,667]"),
            Map.entry(kv3, "[668,1000] [2,2]"));

    // GDPR: the user, their post list and every one of their posts are gone; nobody else's data is.
    assertThat(cluster.cli("gdpr user_1")).containsExactly("OK: user_1 and their posts erased");
    assertThat(
            cluster.cli(
                "get user_1",
                "get user_1_posts",
                "get post_2",
                "get post_900",
                "get user_600",
                "get post_601",
                "gdpr user_1"))
        .containsExactly(
            "error: NOT_FOUND: no value for key 'user_1'",
            "error: NOT_FOUND: no value for key 'user_1_posts'",
            "error: NOT_FOUND: no value for key 'post_2'",
            "error: NOT_FOUND: no value for key 'post_900'",
            "\"Bob Builder\" (from " + kv2 + ")",
            "\"bob's first\" (from " + kv2 + ")",
            "error: NOT_FOUND: unknown user user_1");
    assertThat(allUsers(cluster.cli("get all_users")))
        .isEqualTo(Map.of(kv1, Set.of(), kv2, Set.of("user_600"), kv3, Set.of()));
  }

  @Test
  void theShellAnswersEachCommandAsItArrivesAndStopsAtQuit() {
    cluster.startShardmaster();
    String kv1 = cluster.startShardkv();

    JarProcess cli = cluster.startCli();
    cli.send("join " + kv1);
    cli.awaitLine(line -> line.equals("OK: " + kv1 + " joined"), ProcessCluster.CLI_TIMEOUT);
    cli.send("put user_7 'Grace Hopper'");
    cli.awaitLine(line -> line.equals("OK (" + kv1 + ")"), ProcessCluster.CLI_TIMEOUT);
    cli.send("get user_7");
    cli.awaitLine(
        line -> line.equals("\"Grace Hopper\" (from " + kv1 + ")"), ProcessCluster.CLI_TIMEOUT);
    cli.send("quit");
    cli.send("put user_8 never");

    assertThat(cli.awaitExit(ProcessCluster.CLI_TIMEOUT)).isZero();
    assertThat(cli.stdout())
        .containsExactly(
            "OK: " + kv1 + " joined", "OK (" + kv1 + ")", "\"Grace Hopper\" (from " + kv1 + ")");
    assertThat(cluster.cli("get user_8"))
        .containsExactly("error: NOT_FOUND: no value for key 'user_8'");
  }

  @Test
  void everyMistakeIsOneErrorLineAndTheShellGoesOnAndExitsWithOne() {
    cluster.startShardmaster();
    String kv1 = cluster.startShardkv();
    String nobody = "127.0.0.1:" + FreePorts.next();

    assertThat(
            cluster.cli(
                List.of(),
                1,
                "join " + kv1,
                "join " + nobody,
                "put all_users x",
                "frobnicate",
                "join",
                "join nohost",
                "move " + kv1 + " ten 20",
                "move " + kv1 + " 20 10",
                "leave " + kv1 + " 127.0.0.1:1",
                "put user_1 'unterminated",
                "get user_x",
                "get user_42",
                "gdpr post_1",
                "query"))
        .containsExactly(
            "OK: " + kv1 + " joined",
            "error: not joining " + nobody + ": nothing answers at " + nobody
                + " (connection refused); 'join --force " + nobody + "' adds it anyway",
            "error: INVALID_ARGUMENT: all_users is kept by each server and cannot be written",
            "error: unknown command 'frobnicate'; type help for the list of commands",
            "error: join takes 1 argument, got 0; usage: join [--force] <host:port>",
            "error: bad server address 'nohost': expected host:port",
            "error: bad lower bound 'ten': expected a key ID in [0, 1000];"
                + " usage: move <host:port> <lower> <upper>",
            "error: bad range [20, 10]: lower is greater than upper",
            "error: INVALID_ARGUMENT: server '127.0.0.1:1' is not part of configuration #1;"
                + " nothing was removed",
            "error: unterminated ' quote at column 12",
            "error: INVALID_ARGUMENT: key 'user_x': ID 'x' is not a decimal number",
            "error: NOT_FOUND: no value for key 'user_42'",
            "error: INVALID_ARGUMENT: GDPR delete takes a user key like user_17, not 'post_1'",
            "configuration #1: 1 server",
            String.format("%-" + kv1.length() + "s  %5s  %s", "SERVER", "IDS", "RANGES"),
            String.format("%-" + kv1.length() + "s  %5s  %s", kv1, 1001, "[0,1000]"));
  }

  @Test
  void anUnreachableShardmasterIsReportedAndBadArgumentsExitWithUsage() {
    String nowhere = "127.0.0.1:" + FreePorts.next();
    JarProcess cli =
        JarProcess.start(
            "client-unreachable",
            Jars.client(),
            List.of("127.0.0.1", nowhere.substring(nowhere.indexOf(':') + 1)));
    try {
      cli.send("query");
      cli.send("get user_1");
      cli.send("exit");
      assertThat(cli.awaitExit(ProcessCluster.CLI_TIMEOUT)).isEqualTo(1);
      assertThat(cli.stdout())
          .containsExactly(
              "error: UNAVAILABLE: cannot connect to " + nowhere + " (connection refused)",
              "error: UNAVAILABLE: cannot connect to " + nowhere + " (connection refused)");
      ProcessCluster.assertNoStackTrace(cli);
    } finally {
      cli.stop(JarProcess.STOP_GRACE);
    }

    JarProcess badPort =
        JarProcess.start("client-bad-port", Jars.client(), List.of("127.0.0.1", "x"));
    try {
      assertThat(badPort.awaitExit(ProcessCluster.CLI_TIMEOUT)).isEqualTo(2);
      assertThat(badPort.stderr())
          .containsExactly(
              "client: bad port 'x': expected a number in [1, 65535]",
              USAGE);
      assertThat(badPort.stdout()).isEmpty();
    } finally {
      badPort.stop(JarProcess.STOP_GRACE);
    }

    JarProcess badList =
        JarProcess.start("client-bad-list", Jars.client(), List.of("127.0.0.1:9090,,127.0.0.1:9092", "-"));
    try {
      assertThat(badList.awaitExit(ProcessCluster.CLI_TIMEOUT)).isEqualTo(2);
      assertThat(badList.stderr())
          .containsExactly(
              "client: bad shardmaster list '127.0.0.1:9090,,127.0.0.1:9092': item 2 is empty", USAGE);
    } finally {
      badList.stop(JarProcess.STOP_GRACE);
    }
  }

  /**
   * Runs {@code commands} in fresh shells until they print {@code expected}, or fails at a
   * deadline.
   */
  private void awaitOutput(List<String> commands, List<String> expected) {
    String[] lines = commands.toArray(String[]::new);
    await()
        .atMost(MIGRATION_TIMEOUT)
        .pollInterval(POLL_INTERVAL)
        .until(() -> cluster.cli(lines), expected::equals);
  }

  /** Reads {@code get all_users} output, {@code <server>: user_1, user_2}, into sets per server. */
  private static Map<String, Set<String>> allUsers(List<String> output) {
    Map<String, Set<String>> users = new LinkedHashMap<>();
    for (String line : output) {
      int colon = line.lastIndexOf(": ");
      assertThat(colon).as("all_users line %s", line).isPositive();
      String list = line.substring(colon + 2);
      users.put(
          line.substring(0, colon),
          list.equals("(no users)") ? Set.of() : new HashSet<>(Arrays.asList(list.split(", "))));
    }
    return users;
  }

  /** Reads the rows of {@code query} output into server → its ranges as printed. */
  private static Map<String, String> rangesByServer(List<String> output) {
    assertThat(output.get(1).split("\\s+")).containsExactly("SERVER", "IDS", "RANGES");
    Map<String, String> ranges = new LinkedHashMap<>();
    for (String row : output.subList(2, output.size())) {
      String[] cells = row.trim().split("\\s+", 3);
      ranges.put(cells[0], cells[2]);
    }
    return ranges;
  }
}
