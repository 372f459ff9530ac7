package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.ServerProbe;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.testkit.FreePorts;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop alone: commands that need no server, usage errors, quit and end of input. */
class ShellTest {
  private final ChannelPool channels = new ChannelPool();
  private int failures;

  @AfterEach
  void closeChannels() {
    channels.close();
  }

  /** Runs {@code input} through a shell; returns what it printed and keeps its failure count. */
  private List<String> run(String input) {
    // Nothing listens at the shardmaster address: these commands need no server.
    ShardmasterClient shardmaster =
        new ShardmasterClient(channels.channel("127.0.0.1:" + FreePorts.next()));
    StoreClient store = new StoreClient(new ShardmasterConfigurationSource(shardmaster), channels);
    StringWriter output = new StringWriter();
    CommandExecutor executor =
        new CommandExecutor(
            shardmaster,
            store,
            new ServerProbe(channels, Duration.ofSeconds(1)),
            new PrintWriter(output));
    failures = new Shell(LineSource.of(new BufferedReader(new StringReader(input))), executor).run();
    return output.toString().lines().toList();
  }

  @Test
  void goesOnAfterErrorsAndStopsAtQuit() {
    List<String> output = run("bogus\n\n# a comment\nput user_1\nhelp\nquit\nhelp\n");

    assertThat(output.get(0))
        .isEqualTo("error: unknown command 'bogus'; type help for the list of commands");
    assertThat(output.get(1)).startsWith("error: put takes 2 to 3 arguments");
    assertThat(output.subList(2, output.size())).containsExactlyElementsOf(CommandParser.HELP);
    assertThat(failures).isEqualTo(2);
  }

  @Test
  void countsEveryFailedLineUpToQuit() {
    List<String> output =
        run("help\nget user_1 'open\njoin 127.0.0.1:" + FreePorts.next() + "\nquit\nbogus\n");

    assertThat(output.get(output.size() - 1)).startsWith("error: not joining 127.0.0.1:");
    assertThat(failures).isEqualTo(2);
    run("help\n# nothing else\n");
    assertThat(failures).isZero();
  }

  @Test
  void stopsAtTheEndOfInput() {
    assertThat(run("help")).containsExactlyElementsOf(CommandParser.HELP);
    assertThat(failures).isZero();
    assertThat(run("")).isEmpty();
  }
}
