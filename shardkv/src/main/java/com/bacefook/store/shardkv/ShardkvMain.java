package com.bacefook.store.shardkv;

import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.client.ShardmasterClient;
import com.bacefook.store.replication.GroupMember;
import com.bacefook.store.replication.RaftPeers;
import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.rpc.FlagValues;
import com.bacefook.store.security.Security;
import com.bacefook.store.security.SecurityFlags;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code shardkv <PORT> <SHARDMASTER_HOST> <SHARDMASTER_PORT> [--advertise HOST:PORT]
 * [--join] [--data-dir DIR | --in-memory] [--leave-on-shutdown] [--metrics-port N] [--heartbeat-ms N]
 * [--handoff-timeout-ms N] [--listen ADDR] [--group NAME --raft-id ID --raft-peers
 * ID:HOST:PORT,... [--snapshot-every N] [--election-timeout-ms N]]} and the {@link SecurityFlags}; it listens on every
 * interface unless {@code --listen} names one address. A replicated shardmaster is given as {@code
 * HOST:PORT,HOST:PORT,HOST:PORT -} in place of {@code <SHARDMASTER_HOST> <SHARDMASTER_PORT>}. With
 * {@code --group} the server is a member of that replica group (see {@link ReplicaGroup}); without,
 * it is a group of one.
 */
public final class ShardkvMain {
  private static final Logger log = LoggerFactory.getLogger(ShardkvMain.class);
  private static final String USAGE =
      "usage: java -jar shardkv.jar <PORT> <SHARDMASTER_HOST> <SHARDMASTER_PORT>"
          + " (a replicated shardmaster: HOST:PORT,HOST:PORT,HOST:PORT -)"
          + " [--advertise HOST:PORT] [--join] [--data-dir DIR | --in-memory] [--leave-on-shutdown]"
          + " [--metrics-port N]"
          + " [--heartbeat-ms N] [--handoff-timeout-ms N] [--listen ADDR]"
          + " [--group NAME --raft-id ID --raft-peers ID:HOST:PORT,ID:HOST:PORT,... [--snapshot-every N]"
          + " [--election-timeout-ms N]] "
          + SecurityFlags.USAGE;

  private ShardkvMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>();
    String advertise = null;
    String listen = null;
    boolean join = false;
    long heartbeatMs = 100;
    long handoffTimeoutMs = ShardkvServer.Options.DEFAULT.handoffTimeout().toMillis();
    Path dataDir = null;
    boolean inMemory = false;
    boolean leaveOnShutdown = false;
    int metricsPort = -1;
    String groupName = null;
    String raftId = null;
    String raftPeers = null;
    long snapshotEvery = GroupMember.Options.DEFAULT.snapshotEvery();
    long electionTimeoutMs =
        GroupMember.Options.DEFAULT.electionTimeout().toLong(TimeUnit.MILLISECONDS);
    boolean raftOptionGiven = false;
    GroupSettings group = null;
    int port;
    String shardmaster;
    Security security;
    try {
      SecurityFlags securityFlags = SecurityFlags.parse(args, System.getenv());
      security = securityFlags.security();
      args = securityFlags.rest();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--advertise" -> advertise = Addresses.parse(FlagValues.value(args, ++i)).toString();
          case "--join" -> join = true;
          case "--listen" -> listen = FlagValues.value(args, ++i);
          case "--data-dir" -> dataDir = Path.of(FlagValues.value(args, ++i));
          case "--in-memory" -> inMemory = true;
          case "--leave-on-shutdown" -> leaveOnShutdown = true;
          case "--metrics-port" -> metricsPort = FlagValues.port(args, ++i);
          case "--heartbeat-ms" -> heartbeatMs = FlagValues.number(args, ++i);
          case "--handoff-timeout-ms" ->
              handoffTimeoutMs = FlagValues.number(args, ++i);
          case "--group" -> groupName = FlagValues.value(args, ++i);
          case "--raft-id" -> raftId = FlagValues.value(args, ++i);
          case "--raft-peers" -> raftPeers = FlagValues.value(args, ++i);
          case "--snapshot-every" -> {
            snapshotEvery = FlagValues.number(args, ++i);
            raftOptionGiven = true;
          }
          case "--election-timeout-ms" -> {
            electionTimeoutMs = FlagValues.number(args, ++i);
            raftOptionGiven = true;
          }
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + args[i]);
            }
            positional.add(args[i]);
          }
        }
      }
      if (positional.size() != 3) {
        throw new IllegalArgumentException("expected 3 arguments, got " + positional.size());
      }
      if (dataDir != null && inMemory) {
        throw new IllegalArgumentException("--data-dir and --in-memory exclude each other");
      }
      if (heartbeatMs < 1 || handoffTimeoutMs < 1) {
        throw new IllegalArgumentException("--heartbeat-ms and --handoff-timeout-ms must be at least 1");
      }
      if (groupName != null || raftId != null || raftPeers != null) {
        if (groupName == null || raftId == null || raftPeers == null) {
          throw new IllegalArgumentException("--group, --raft-id and --raft-peers go together");
        }
        if (dataDir == null) {
          throw new IllegalArgumentException("--group needs --data-dir for the Raft log and snapshots");
        }
        if (leaveOnShutdown) {
          throw new IllegalArgumentException("--leave-on-shutdown is not supported with --group yet");
        }
        group =
            new GroupSettings(
                groupName,
                RaftPeers.parse(raftPeers),
                raftId,
                join,
                GroupMember.Options.DEFAULT
                    .withSnapshotEvery(snapshotEvery)
                    .withElectionTimeout(
                        TimeDuration.valueOf(electionTimeoutMs, TimeUnit.MILLISECONDS)));
      } else if (raftOptionGiven) {
        throw new IllegalArgumentException(
            "--snapshot-every and --election-timeout-ms apply to a replica group member (--group)");
      }
      port = Addresses.port(positional.get(0), 1);
      shardmaster =
          ShardmasterAddresses.fromHostAndPort(positional.get(1), positional.get(2)).toString();
    } catch (IllegalArgumentException e) {
      System.err.println("shardkv: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    String name = advertise != null ? advertise : InetAddress.getLocalHost().getHostName() + ":" + port;

    ShardkvServer server;
    try {
      server =
          ShardkvServer.onAddress(
                  listen,
                  port,
                  name,
                  shardmaster,
                  ShardkvServer.Options.DEFAULT
                      .withHeartbeat(Duration.ofMillis(heartbeatMs))
                      .withHandoffTimeout(Duration.ofMillis(handoffTimeoutMs))
                      .withDataDir(dataDir)
                      .withMetricsPort(metricsPort)
                      .withGroup(group),
                  security)
              .start();
    } catch (IllegalArgumentException
        | IllegalStateException
        | IOException
        | UncheckedIOException e) {
      // The cause says why (a bind failure hides "Address already in use" there).
      System.err.println(
          "shardkv: cannot start: " + e.getMessage()
              + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
      System.exit(1);
      return;
    }
    boolean leave = leaveOnShutdown;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (leave) {
                    leaveAndHandOff(server, shardmaster, security);
                  }
                  server.close();
                  log.info("{} stopped", name);
                },
                "shutdown"));
    System.out.println("shardkv " + name + " listening on port " + server.port()
        + ", following shardmaster " + shardmaster + ", "
        + (dataDir == null ? "keeping data in memory only (--data-dir DIR keeps it)" : "data in " + dataDir)
        + (group == null ? "" : ", member " + group.raftId() + " of replica group " + group.name()));
    security.exposureWarning("shardkv " + name).ifPresent(log::warn);
    if (join && group == null) {
      joinWhenReachable(shardmaster, name, security);
    }
    server.awaitTermination();
  }

  /** Asks the shardmaster to remove this server, then waits (up to 30 s) until its keys are handed off. */
  private static void leaveAndHandOff(ShardkvServer server, String shardmaster, Security security) {
    try (ChannelPool pool = new ChannelPool(security.channelFactory())) {
      new ShardmasterClient(ShardmasterAddresses.parse(shardmaster), pool::channel)
          .leave(List.of(server.name()));
      log.info("{} left the cluster; handing off its keys", server.name());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline
          && (server.configuration().contains(server.name()) || server.handoffInProgress())) {
        Thread.sleep(50);
      }
      if (server.handoffInProgress()) {
        log.warn("{}: handoff not finished after 30 s; stopping anyway (the data directory keeps it)",
            server.name());
      }
    } catch (StatusRuntimeException e) {
      log.warn("{}: could not leave the cluster: {}", server.name(), e.getStatus());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinWhenReachable(String shardmaster, String name, Security security)
      throws InterruptedException {
    try (ChannelPool pool = new ChannelPool(security.channelFactory())) {
      ShardmasterClient client =
          new ShardmasterClient(ShardmasterAddresses.parse(shardmaster), pool::channel);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          client.join(name);
          log.info("{} joined the cluster", name);
          return;
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
            log.info("{} not joined: {}", name, e.getStatus().getDescription());
            return;
          }
          if (System.nanoTime() > deadline) {
            log.error("{} could not join: {}", name, e.getStatus());
            return;
          }
          Thread.sleep(500);
        }
      }
    }
  }
}
