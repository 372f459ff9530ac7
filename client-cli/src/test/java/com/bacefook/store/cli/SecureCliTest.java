package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.client.ServerProbe;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.client.ShardmasterConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.security.Security;
import com.bacefook.store.shardkv.ShardkvServer;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.TestSecurity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI against a secure cluster: a missing token or a refused certificate is one error line. */
class SecureCliTest {
  private MiniCluster cluster;
  private TestSecurity security;

  @BeforeEach
  void start() {
    cluster = MiniCluster.startSecure(ShardkvServer.Options.DEFAULT);
    security = cluster.security().orElseThrow();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void withoutTheAdminTokenJoinIsOneLineAndChangesNothing() throws UsageException {
    String server = cluster.startServer();

    List<String> output = run(security.client(null, null, security.clientToken()), "join " + server);

    assertThat(output)
        .containsExactly(
            "error: UNAUTHENTICATED: Shardmaster/Join needs the admin token: send the header"
                + " 'authorization: Bearer <token>'");
    assertThat(cluster.shardmasterClient().query().number()).isZero();
  }

  @Test
  void aCertificateFromAnotherCaIsOneTlsLine() throws UsageException {
    List<String> output = run(security.clientWith(security.certificates().files("other")), "query");

    assertThat(output).singleElement().asString().startsWith("error: UNAVAILABLE: TLS: the peer refused our certificate");
  }

  @Test
  void withTheRightCertificateAndTokensEverythingWorks() throws UsageException {
    String server = cluster.startServer();

    List<String> output = run(security.client(), "join " + server, "put user_1 Ada", "get user_1");

    assertThat(output).containsExactly("OK: " + server + " joined", "OK (" + server + ")", "\"Ada\" (from " + server + ")");
  }

  private List<String> run(Security client, String... commands) throws UsageException {
    StringWriter buffer = new StringWriter();
    try (ChannelPool channels = new ChannelPool(client.channelFactory())) {
      ShardmasterClient shardmaster =
          new ShardmasterClient(
              channels.channel(cluster.shardmasterAddress()), Duration.ofSeconds(5), Duration.ofSeconds(5));
      StoreClient store =
          new StoreClient(
              new ShardmasterConfigurationSource(shardmaster), channels, Duration.ofSeconds(5), Duration.ofSeconds(2));
      CommandExecutor executor =
          new CommandExecutor(
              shardmaster,
              store,
              new ServerProbe(channels, Duration.ofSeconds(5)),
              new PrintWriter(buffer));
      for (String command : commands) {
        executor.execute(CommandParser.parse(command).orElseThrow());
      }
    }
    return buffer.toString().lines().toList();
  }
}
