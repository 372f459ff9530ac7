package com.bacefook.store.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar bench.jar <scenario> (--shardmaster HOST:PORT | --start-local [N]) [options]}: drives a
 * Bacefook Store cluster through its public RPCs and reports throughput and latency.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    version = "bench 1.0.0",
    description = "Load and scenario benchmarks of a Bacefook Store cluster (any implementation of its protos).",
    subcommands = {
      SweepCommand.Steady.class,
      SweepCommand.Single.class,
      MigrateCommand.class,
      GdprCommand.class,
      MemoryCommand.class,
      WarmStartCommand.class,
      RedisTableCommand.class,
      FloorCommand.class
    })
public final class BenchMain implements Runnable {
  private static final String LEAK_DETECTION = "io.grpc.netty.shaded.io.netty.leakDetection.level";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Entry point; exits with the scenario's code (0 ok, 1 failed, 2 bad usage). */
  public static void main(String[] args) {
    // The load generator's own Netty buffers are not sampled for leak reports (each sampled buffer
    // records a stack trace, CPU taken from the servers on a shared machine), unless asked for.
    if (System.getProperty(LEAK_DETECTION) == null) {
      System.setProperty(LEAK_DETECTION, "disabled");
    }
    System.exit(run(args));
  }

  /** Runs the command line {@code args} and returns the exit code, without exiting. */
  public static int run(String... args) {
    return new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
