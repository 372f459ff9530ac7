package com.bacefook.store.shardmaster;

import com.bacefook.store.client.ConfigurationSource;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.sharding.Configuration;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts and stops the shardmaster. Run with {@code java -jar shardmaster.jar <PORT>}. */
public final class ShardmasterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardmasterServer.class);

  private final HistoryLog historyLog;
  private final ConfigurationHistory history;
  private final ChannelPool channels = new ChannelPool();
  private final ExecutorService gdprExecutor = Executors.newFixedThreadPool(16, daemonThreads());
  private final Server server;

  /** Creates a shardmaster served by {@code builder} that keeps its configurations in memory. */
  public ShardmasterServer(ServerBuilder<?> builder) {
    this(builder, null);
  }

  /**
   * Creates a shardmaster served by {@code builder} (a Netty or in-process builder) that keeps its
   * configurations in {@code dataDir} (null: in memory only).
   *
   * @throws IllegalStateException if the data directory cannot be used
   */
  public ShardmasterServer(ServerBuilder<?> builder, Path dataDir) {
    this.historyLog = dataDir == null ? HistoryLog.NONE : RocksHistoryLog.open(dataDir);
    this.history = new ConfigurationHistory(historyLog);
    ConfigurationSource configs =
        new ConfigurationSource() {
          @Override
          public Configuration current() {
            return history.latest();
          }

          @Override
          public Configuration refresh() {
            return history.latest();
          }
        };
    StoreClient store = new StoreClient(configs, channels);
    this.server =
        builder
            .addService(new ShardmasterService(history, new GdprEraser(store, gdprExecutor)))
            .build();
  }

  /** Creates a shardmaster listening on {@code port} on all interfaces (0 picks a free port). */
  public static ShardmasterServer onPort(int port, Path dataDir) {
    return new ShardmasterServer(
        Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()), dataDir);
  }

  /** Starts serving and returns this. */
  public ShardmasterServer start() throws IOException {
    server.start();
    return this;
  }

  /** Returns the port it listens on. */
  public int port() {
    return server.getPort();
  }

  /** Returns the configuration history, for tests and embedding. */
  public ConfigurationHistory history() {
    return history;
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    gdprExecutor.shutdownNow();
    channels.close();
    historyLog.close();
  }

  /** Blocks until the server terminates. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "gdpr-eraser");
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Entry point: {@code shardmaster <PORT> [--data-dir DIR]}. */
  public static void main(String[] args) throws Exception {
    String usage = "usage: java -jar shardmaster.jar <PORT> [--data-dir DIR]";
    Path dataDir = null;
    if (args.length == 3 && args[1].equals("--data-dir")) {
      dataDir = Path.of(args[2]);
    } else if (args.length != 1) {
      System.err.println(usage);
      System.exit(2);
    }
    int port;
    try {
      port = Integer.parseInt(args[0]);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      System.err.println("bad port '" + args[0] + "': expected a number in [0, 65535]");
      System.exit(2);
      return;
    }
    ShardmasterServer shardmaster;
    try {
      shardmaster = ShardmasterServer.onPort(port, dataDir).start();
    } catch (IllegalStateException | IOException e) {
      System.err.println("shardmaster: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(shardmaster::close, "shutdown"));
    String host = InetAddress.getLocalHost().getHostName();
    System.out.println("shardmaster listening on " + host + ":" + shardmaster.port()
        + (dataDir == null ? " (configurations in memory only)" : " (data in " + dataDir + ")"));
    log.info(
        "shardmaster serving on port {} at configuration #{}",
        shardmaster.port(), shardmaster.history().latest().number());
    shardmaster.awaitTermination();
  }
}
