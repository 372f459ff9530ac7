package com.bacefook.store.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench floor}: runs a {@link FloorServer} until killed, for {@code bench steady --shardmaster
 * 127.0.0.1:PORT --server-pid PID} to measure what gRPC alone costs per operation.
 */
@Command(
    name = "floor",
    mixinStandardHelpOptions = true,
    description =
        "Serve Get, Put and PutMany from a map behind a minimal grpc-java server (directExecutor, no store"
            + " logic), answering Query as a one-server shardmaster: the floor of grpc-java, for steady"
            + " --shardmaster to drive. Runs until killed.")
final class FloorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default: 0, a free one).")
  int port;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(spec.commandLine(), "--port takes 0 to 65535, got " + port);
    }
    try (FloorServer server = FloorServer.start(port)) {
      System.out.printf(
          "floor server listening on 127.0.0.1:%d (pid %d)%n", server.port(), ProcessHandle.current().pid());
      System.out.flush();
      server.awaitTermination();
    }
    return 0;
  }
}
