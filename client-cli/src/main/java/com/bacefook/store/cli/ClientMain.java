package com.bacefook.store.cli;

import com.bacefook.store.client.ServerProbe;
import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelFactory;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.security.SecurityFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Command line: {@code client [--keep-going] <SHARDMASTER_HOST> <PORT>} and the {@link
 * SecurityFlags}. At a terminal it prompts
 * and keeps a history in {@code ~/.bacefook_history}; with input from a pipe or file it prints no
 * prompt and no banner, only each command's outcome, so scripts can read its output, and it exits
 * with status 1 if any command failed (0 with {@code --keep-going}).
 */
public final class ClientMain {
  private static final String USAGE =
      "usage: java -jar client.jar [--keep-going] <SHARDMASTER_HOST> <PORT>"
          + "   (a replicated shardmaster: HOST:PORT,HOST:PORT,HOST:PORT -) "
          + SecurityFlags.USAGE;
  private static final String KEEP_GOING = "--keep-going";
  /**
   * How long {@code join} waits for each answer of a server before refusing it: generous, since the
   * first call of a fresh JVM on a busy machine also pays for loading gRPC; an address where nothing
   * listens is refused at once.
   */
  private static final Duration PROBE_DEADLINE = Duration.ofSeconds(10);
  private static final String HISTORY_FILE = ".bacefook_history";

  /** Held so the logger, and the level set on it, live as long as the process. */
  private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

  private ClientMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
      System.out.println(USAGE);
      return;
    }
    List<String> arguments = new ArrayList<>(List.of(args));
    boolean keepGoing = arguments.remove(KEEP_GOING);
    String shardmaster;
    ChannelFactory channelFactory;
    try {
      SecurityFlags security =
          SecurityFlags.parse(arguments.toArray(String[]::new), System.getenv());
      shardmaster = shardmasterAddress(List.of(security.rest()));
      channelFactory = security.security().channelFactory();
    } catch (IllegalArgumentException e) {
      System.err.println("client: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    // gRPC logs connection trouble as multi-line warnings; the shell reports it as one error line.
    GRPC_LOG.setLevel(Level.OFF);
    int failures;
    try (ChannelPool channels = new ChannelPool(channelFactory)) {
      ShardmasterClient shardmasterClient =
          new ShardmasterClient(ShardmasterAddresses.parse(shardmaster), channels::channel);
      StoreClient store =
          new StoreClient(new ShardmasterConfigurationSource(shardmasterClient), channels);
      ServerProbe probe = new ServerProbe(channels, PROBE_DEADLINE);
      if (System.console() != null) {
        runAtTerminal(shardmaster, shardmasterClient, store, probe);
        failures = 0;
      } else {
        failures = runPiped(shardmasterClient, store, probe);
      }
    }
    if (failures > 0 && !keepGoing) {
      System.exit(1);
    }
  }

  /** Runs the commands read from stdin; returns how many failed. */
  private static int runPiped(ShardmasterClient shardmaster, StoreClient store, ServerProbe probe) {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    CommandExecutor executor = new CommandExecutor(shardmaster, store, probe, out);
    int failures = new Shell(LineSource.of(in), executor).run();
    out.flush();
    return failures;
  }

  private static void runAtTerminal(
      String address, ShardmasterClient shardmaster, StoreClient store, ServerProbe probe) {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      PrintWriter out = terminal.writer();
      out.println(
          "Bacefook Store client, shardmaster " + address + ". Type help for the commands.");
      Path history = Path.of(System.getProperty("user.home"), HISTORY_FILE);
      new Shell(
              new TerminalLineSource(terminal, history),
              new CommandExecutor(shardmaster, store, probe, out))
          .run();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the terminal", e);
    }
  }

  /**
   * Returns {@code host:port} of the shardmaster named by the arguments, or the list of a
   * replicated shardmaster's members.
   */
  private static String shardmasterAddress(List<String> args) {
    if (args.size() != 2) {
      throw new IllegalArgumentException("expected 2 arguments, got " + args.size());
    }
    return ShardmasterAddresses.fromHostAndPort(args.get(0), args.get(1)).toString();
  }
}
