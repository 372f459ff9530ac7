package com.bacefook.store.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where results go and how chatty the run is. */
final class OutputOptions {
  @Option(
      names = "--results-dir",
      paramLabel = "DIR",
      description = "Folder for <scenario>-<timestamp>.json (default: bench/target/results under the repository).")
  Path resultsDir;

  @Option(
      names = "--results-file",
      paramLabel = "FILE",
      description = "Write the results JSON exactly here instead.")
  Path resultsFile;

  @Option(names = "--no-progress", description = "Do not print the once-a-second progress line on stderr.")
  boolean noProgress;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed = 42;
}
