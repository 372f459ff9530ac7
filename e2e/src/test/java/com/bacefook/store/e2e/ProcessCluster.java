package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInfo;

/**
 * A cluster of separate JVMs started from the built jars, all on 127.0.0.1 free ports: a
 * shardmaster, shardkv servers (started, not joined) and client shells. Closing it stops every
 * process it started, whatever state they are in, and saves each one's output under the log folder.
 */
public final class ProcessCluster implements AutoCloseable {
  /** How long a server may take to print its ready line. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** The client flag that makes a script exit 0 even when some of its commands failed. */
  public static final String KEEP_GOING = "--keep-going";

  /** How long one client run may take. */
  public static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);

  private static final String LOOPBACK = "127.0.0.1";
  private static final int START_ATTEMPTS = 3;

  private final Path logDir;
  private final Path dataRoot;
  private final List<JarProcess> processes = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, JarProcess> servers =
      Collections.synchronizedMap(new LinkedHashMap<>());
  /** The command line of each replica-group member, to start it again as it was. */
  private final Map<String, List<String>> groupArgs = new ConcurrentHashMap<>();
  private String shardmasterAddress;
  private JarProcess shardmaster;
  private int shardmasterPort;
  /** The members of a replicated shardmaster, by client address. */
  private final Map<String, JarProcess> shardmasterMembers =
      Collections.synchronizedMap(new LinkedHashMap<>());
  /** The command line of each replicated shardmaster member, by address. */
  private final Map<String, List<String>> shardmasterMemberArgs = new ConcurrentHashMap<>();
  /** The two arguments that name the shardmaster to shardkv and the client: HOST PORT, or LIST -. */
  private List<String> shardmasterOperands;
  private int cliRuns;

  /** Creates an empty cluster whose processes' output is saved under {@code logDir} at close. */
  public ProcessCluster(Path logDir) {
    this(logDir, null);
  }

  /**
   * Returns a cluster for the running test method, logging under {@code target/e2e-logs/<method>-<pid>}
   * (so two runs of the suite at once do not mix logs) and keeping data under {@code dataRoot}.
   */
  public static ProcessCluster forTest(TestInfo test, Path dataRoot) {
    String run = test.getTestMethod().orElseThrow().getName() + "-" + ProcessHandle.current().pid();
    return new ProcessCluster(Path.of("target", "e2e-logs", run), dataRoot);
  }

  /**
   * Creates an empty cluster whose processes keep their data under {@code dataRoot} (one directory
   * per process; null: in memory), so they can be killed and restarted.
   */
  public ProcessCluster(Path logDir, Path dataRoot) {
    this.logDir = logDir;
    this.dataRoot = dataRoot;
  }

  private List<String> withData(List<String> args, String name) {
    if (dataRoot == null) {
      return args;
    }
    List<String> all = new ArrayList<>(args);
    all.add("--data-dir");
    all.add(dataRoot.resolve(name).toString());
    return all;
  }

  private List<String> shardmasterArgs(int port) {
    return withData(List.of(String.valueOf(port)), "shardmaster");
  }

  private List<String> shardkvArgs(int port) {
    return withData(
        List.of(
            String.valueOf(port),
            shardmasterOperands.get(0),
            shardmasterOperands.get(1),
            "--advertise",
            LOOPBACK + ":" + port),
        "shardkv-" + port);
  }

  /** Kills the server called {@code name} with SIGKILL (kill -9) and waits until it is gone. */
  public void killShardkv(String name) {
    shardkv(name).kill();
  }

  /** Starts the (killed or stopped) server called {@code name} again on its port and data directory. */
  public void restartShardkv(String name) {
    JarProcess old = shardkv(name);
    if (old.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    int port = Integer.parseInt(name.substring(name.lastIndexOf(':') + 1));
    List<String> args = groupArgs.getOrDefault(name, shardkvArgs(port));
    JarProcess process = JarProcess.start("shardkv-" + port + "-again", Jars.shardkv(), args);
    processes.add(process);
    process.awaitLine(line -> line.contains("listening on port"), READY_TIMEOUT);
    servers.put(name, process);
  }

  /**
   * Starts the (killed or stopped) server called {@code name} again on its port, with its data
   * directory emptied first if {@code wiped}: a replica group member so restarted catches up from its
   * group.
   */
  public void restartShardkv(String name, boolean wiped) {
    if (shardkv(name).isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    if (wiped) {
      wipe(dataDirectory(name));
    }
    restartShardkv(name);
  }

  /** Kills the shardmaster with SIGKILL and starts it again on its port and data directory. */
  public void killAndRestartShardmaster() {
    shardmaster.kill();
    shardmaster =
        JarProcess.start("shardmaster-again", Jars.shardmaster(), shardmasterArgs(shardmasterPort));
    processes.add(shardmaster);
    shardmaster.awaitLine(line -> line.contains("shardmaster listening on "), READY_TIMEOUT);
  }

  /** Starts the shardmaster and returns its address, {@code 127.0.0.1:<port>}. */
  public String startShardmaster() {
    IntFunction<List<String>> args = this::shardmasterArgs;
    Started started =
        awaitReady(
            launch("shardmaster", Jars.shardmaster(), args),
            "shardmaster",
            Jars.shardmaster(),
            args,
            "shardmaster listening on ");
    shardmaster = started.process();
    shardmasterPort = started.port();
    shardmasterAddress = LOOPBACK + ":" + shardmasterPort;
    shardmasterOperands = List.of(LOOPBACK, String.valueOf(shardmasterPort));
    return shardmasterAddress;
  }

  /**
   * Starts a replicated shardmaster of {@code members} members ({@code --raft-id}, the same {@code
   * --raft-peers}, a data directory each) and returns its address list {@code HOST:PORT,...}, which
   * the shardkv servers and client shells started afterwards are given. Needs a data root.
   */
  public String startReplicatedShardmaster(int members) {
    if (dataRoot == null) {
      throw new IllegalStateException("a replicated shardmaster needs a cluster with a data root");
    }
    List<Integer> ports = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      ports.add(FreePorts.next());
      peers.add("sm" + i + ":" + LOOPBACK + ":" + FreePorts.next());
    }
    List<JarProcess> started = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      List<String> args =
          withData(
              List.of(
                  String.valueOf(ports.get(i)),
                  "--raft-id",
                  "sm" + i,
                  "--raft-peers",
                  String.join(",", peers),
                  "--snapshot-every",
                  "50"),
              "shardmaster-sm" + i);
      JarProcess process = JarProcess.start("shardmaster-sm" + i, Jars.shardmaster(), args);
      processes.add(process);
      started.add(process);
      shardmasterMembers.put(LOOPBACK + ":" + ports.get(i), process);
      shardmasterMemberArgs.put(LOOPBACK + ":" + ports.get(i), args);
    }
    for (JarProcess process : started) {
      process.awaitLine(line -> line.contains("shardmaster listening on "), READY_TIMEOUT);
    }
    shardmasterAddress = String.join(",", shardmasterMembers.keySet());
    shardmasterOperands = List.of(shardmasterAddress, "-");
    return shardmasterAddress;
  }

  private static void wipe(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot wipe " + dir, e);
    }
  }

  /**
   * Starts the (killed) replicated shardmaster member at {@code address} again on its port, with its
   * data directory emptied first if {@code wiped} (it then catches up from the others), and waits
   * until it listens.
   */
  public void restartShardmasterMember(String address, boolean wiped) {
    if (shardmasterMember(address).isAlive()) {
      throw new IllegalStateException(address + " is still running");
    }
    List<String> args = shardmasterMemberArgs.get(address);
    if (wiped) {
      wipe(Path.of(args.get(args.indexOf("--data-dir") + 1)));
    }
    JarProcess process =
        JarProcess.start(
            "shardmaster-" + address.substring(address.lastIndexOf(':') + 1) + "-again",
            Jars.shardmaster(),
            args);
    processes.add(process);
    process.awaitLine(line -> line.contains("shardmaster listening on "), READY_TIMEOUT);
    shardmasterMembers.put(address, process);
  }

  /** Returns the process of the replicated shardmaster's member at {@code address}. */
  public JarProcess shardmasterMember(String address) {
    JarProcess process = shardmasterMembers.get(address);
    if (process == null) {
      throw new IllegalArgumentException("no shardmaster member " + address);
    }
    return process;
  }

  /** Returns the shardmaster's address. */
  public String shardmasterAddress() {
    return shardmasterAddress;
  }

  /**
   * Starts a shardkv server that follows the shardmaster and advertises {@code 127.0.0.1:<port>};
   * it does not join. Returns its name, the advertised address.
   */
  public String startShardkv() {
    return startShardkvs(1).get(0);
  }

  /**
   * Starts {@code count} shardkv servers side by side, as {@link #startShardkv}; returns their
   * names.
   */
  public List<String> startShardkvs(int count) {
    if (shardmasterAddress == null) {
      throw new IllegalStateException("start the shardmaster first");
    }
    IntFunction<List<String>> args = this::shardkvArgs;
    List<Started> launched = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      launched.add(launch("shardkv", Jars.shardkv(), args));
    }
    List<String> names = new ArrayList<>();
    for (Started server : launched) {
      Started ready = awaitReady(server, "shardkv", Jars.shardkv(), args, "listening on port");
      String name = LOOPBACK + ":" + ready.port();
      servers.put(name, ready.process());
      names.add(name);
    }
    return names;
  }

  /**
   * Starts the {@code members} members of replica group {@code group} (each with {@code --group},
   * {@code --raft-id}, the same {@code --raft-peers}, its own data directory and {@code --join}) and
   * returns their names, the advertised addresses. Needs a cluster with a data root.
   */
  public List<String> startGroup(String group, int members) {
    if (shardmasterAddress == null || dataRoot == null) {
      throw new IllegalStateException("start the shardmaster of a cluster with a data root first");
    }
    List<Integer> ports = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      ports.add(FreePorts.next());
      peers.add(group + "m" + i + ":" + LOOPBACK + ":" + FreePorts.next());
    }
    List<String> names = new ArrayList<>();
    List<JarProcess> started = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      int port = ports.get(i);
      String name = LOOPBACK + ":" + port;
      List<String> args = new ArrayList<>(shardkvArgs(port));
      args.addAll(
          List.of("--group", group, "--raft-id", group + "m" + i, "--raft-peers", String.join(",", peers),
              "--snapshot-every", "200", "--join"));
      groupArgs.put(name, args);
      JarProcess process = JarProcess.start(group + "-" + port, Jars.shardkv(), args);
      processes.add(process);
      started.add(process);
      servers.put(name, process);
      names.add(name);
    }
    for (JarProcess process : started) {
      process.awaitLine(line -> line.contains("listening on port"), READY_TIMEOUT);
    }
    return names;
  }

  /** The data directory of the server called {@code name} (with a data root). */
  public Path dataDirectory(String name) {
    return dataRoot.resolve("shardkv-" + name.substring(name.lastIndexOf(':') + 1));
  }

  /** Returns the process of the shardkv server called {@code name}, for example to kill it. */
  public JarProcess shardkv(String name) {
    JarProcess process = servers.get(name);
    if (process == null) {
      throw new IllegalArgumentException("no shardkv server " + name);
    }
    return process;
  }

  /** Starts a client shell on the shardmaster with its stdin left open, for commands one by one. */
  public JarProcess startCli() {
    return startCli(List.of());
  }

  /** Starts a client shell with {@code flags} (such as {@code --keep-going}) before its address. */
  public JarProcess startCli(List<String> flags) {
    List<String> args = new ArrayList<>(flags);
    args.addAll(shardmasterOperands);
    JarProcess cli = JarProcess.start("client-" + (++cliRuns), Jars.client(), args);
    processes.add(cli);
    return cli;
  }

  /**
   * Runs a client shell with {@code --keep-going}, fed {@code commands} on stdin, waits for it to
   * exit at the end of its input, and returns what it printed to stdout. Checks that it exited
   * with 0 and printed no stack trace.
   */
  public List<String> cli(String... commands) {
    return cli(List.of(KEEP_GOING), 0, commands);
  }

  /**
   * Runs a client shell with {@code flags}, fed {@code commands}, and returns what it printed to
   * stdout. Checks that it exited with {@code expectedExit} and printed no stack trace.
   */
  public List<String> cli(List<String> flags, int expectedExit, String... commands) {
    JarProcess cli = startCli(flags);
    for (String command : commands) {
      cli.send(command);
    }
    cli.closeInput();
    int exit = cli.awaitExit(CLI_TIMEOUT);
    assertThat(exit).as("exit code of the client\n%s", cli.transcript()).isEqualTo(expectedExit);
    assertNoStackTrace(cli);
    processes.remove(cli);
    return cli.stdout();
  }

  /** Asserts that {@code process} printed no stack trace on either stream. */
  public static void assertNoStackTrace(JarProcess process) {
    List<String> all = new ArrayList<>(process.stdout());
    all.addAll(process.stderr());
    assertThat(all)
        .as("output of %s", process.name())
        .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
  }

  /** Stops every process still running (politely, then by force) and saves their output. */
  @Override
  public void close() {
    List<JarProcess> all;
    synchronized (processes) {
      all = new ArrayList<>(processes);
    }
    Collections.reverse(all);
    RuntimeException failure = null;
    for (JarProcess process : all) {
      try {
        process.stop(JarProcess.STOP_GRACE);
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    for (JarProcess process : all) {
      try {
        process.saveTranscript(logDir.resolve(process.name() + ".log"));
      } catch (RuntimeException e) {
        // Logs are a convenience; a full disk must not hide the test's own outcome.
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private record Started(JarProcess process, int port) {}

  /** Starts {@code jar} with {@code args} for a port that is free now. */
  private Started launch(String role, Path jar, IntFunction<List<String>> args) {
    int port = FreePorts.next();
    JarProcess process = JarProcess.start(role + "-" + port, jar, args.apply(port));
    processes.add(process);
    return new Started(process, port);
  }

  /**
   * Waits for the ready line of {@code started}. A port found free can be taken by another process
   * before the server binds it, so a start that dies of that is tried again on another port.
   */
  private Started awaitReady(
      Started started, String role, Path jar, IntFunction<List<String>> args, String readyText) {
    Started current = started;
    for (int attempt = 1; ; attempt++) {
      try {
        current.process().awaitLine(line -> line.contains(readyText), READY_TIMEOUT);
        return current;
      } catch (AssertionError e) {
        current.process().stop(JarProcess.STOP_GRACE);
        if (attempt >= START_ATTEMPTS
            || !current.process().transcript().contains("Address already in use")) {
          throw e;
        }
        current = launch(role, jar, args);
      }
    }
  }
}
