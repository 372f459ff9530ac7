package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.testkit.FreePorts;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop alone: commands that need no server, usage errors, quit and end of input. */
class ShellTest {
  private final ChannelPool channels = new ChannelPool();

  @AfterEach
  void closeChannels() {
    channels.close();
  }

  private List<String> run(String input) {
    // No command here reaches the network; the address only has to be well formed.
    ShardmasterClient shardmaster =
        new ShardmasterClient(channels.channel("127.0.0.1:" + FreePorts.next()));
    StoreClient store = new StoreClient(new ShardmasterConfigurationSource(shardmaster), channels);
    StringWriter output = new StringWriter();
    CommandExecutor executor = new CommandExecutor(shardmaster, store, new PrintWriter(output));
    new Shell(LineSource.of(new BufferedReader(new StringReader(input))), executor).run();
    return output.toString().lines().toList();
  }

  @Test
  void goesOnAfterErrorsAndStopsAtQuit() {
    List<String> output = run("bogus\n\n# a comment\nput user_1\nhelp\nquit\nhelp\n");

    assertThat(output.get(0))
        .isEqualTo("error: unknown command 'bogus'; type help for the list of commands");
    assertThat(output.get(1)).startsWith("error: put takes 2 to 3 arguments");
    assertThat(output.subList(2, output.size())).containsExactlyElementsOf(CommandParser.HELP);
  }

  @Test
  void stopsAtTheEndOfInput() {
    assertThat(run("help")).containsExactlyElementsOf(CommandParser.HELP);
    assertThat(run("")).isEmpty();
  }
}
