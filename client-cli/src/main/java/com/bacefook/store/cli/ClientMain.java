package com.bacefook.store.cli;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.rpc.ChannelFactory;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.security.SecurityFlags;
import com.google.common.net.HostAndPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Command line: {@code client <SHARDMASTER_HOST> <PORT>} and the {@link SecurityFlags}. At a terminal it prompts and keeps a
 * history in {@code ~/.bacefook_history}; with input from a pipe or file it prints no prompt and no
 * banner, only each command's outcome, so scripts can read its output.
 */
public final class ClientMain {
  private static final String USAGE =
      "usage: java -jar client.jar <SHARDMASTER_HOST> <PORT> " + SecurityFlags.USAGE;
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
    String shardmaster;
    ChannelFactory channelFactory;
    try {
      SecurityFlags security = SecurityFlags.parse(args, System.getenv());
      shardmaster = shardmasterAddress(security.rest());
      channelFactory = security.security().channelFactory();
    } catch (IllegalArgumentException e) {
      System.err.println("client: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    // gRPC logs connection trouble as multi-line warnings; the shell reports it as one error line.
    GRPC_LOG.setLevel(Level.OFF);
    try (ChannelPool channels = new ChannelPool(channelFactory)) {
      ShardmasterClient shardmasterClient = new ShardmasterClient(channels.channel(shardmaster));
      StoreClient store =
          new StoreClient(new ShardmasterConfigurationSource(shardmasterClient), channels);
      if (System.console() != null) {
        runAtTerminal(shardmaster, shardmasterClient, store);
      } else {
        runPiped(shardmasterClient, store);
      }
    }
  }

  private static void runPiped(ShardmasterClient shardmaster, StoreClient store) {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    new Shell(LineSource.of(in), new CommandExecutor(shardmaster, store, out)).run();
    out.flush();
  }

  private static void runAtTerminal(
      String address, ShardmasterClient shardmaster, StoreClient store) {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      PrintWriter out = terminal.writer();
      out.println(
          "Bacefook Store client, shardmaster " + address + ". Type help for the commands.");
      Path history = Path.of(System.getProperty("user.home"), HISTORY_FILE);
      new Shell(
              new TerminalLineSource(terminal, history),
              new CommandExecutor(shardmaster, store, out))
          .run();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the terminal", e);
    }
  }

  /** Returns {@code host:port} of the shardmaster named by the arguments. */
  private static String shardmasterAddress(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("expected 2 arguments, got " + args.length);
    }
    int port = Addresses.port(args[1], 1);
    String address;
    try {
      address = HostAndPort.fromParts(args[0], port).toString();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad shardmaster host '" + args[0] + "'", e);
    }
    return Addresses.parse(address).toString();
  }
}
