package com.bacefook.store.cli;

import java.util.Optional;

/**
 * The read-parse-run loop: reads lines until {@code quit}, {@code exit} or the end of input; a line
 * that does not parse, or a command that fails, prints its error and the loop goes on. It counts
 * the failures, so a script's caller can tell whether all of its commands worked.
 */
public final class Shell {
  private final LineSource lines;
  private final CommandExecutor executor;

  /** Creates a shell that reads from {@code lines} and runs commands with {@code executor}. */
  public Shell(LineSource lines, CommandExecutor executor) {
    this.lines = lines;
    this.executor = executor;
  }

  /**
   * Runs until the user quits or the input ends.
   *
   * @return how many lines failed: commands that failed and lines that did not parse
   */
  public int run() {
    int failures = 0;
    while (true) {
      Optional<String> line = lines.readLine();
      if (line.isEmpty()) {
        return failures;
      }
      Optional<Command> command;
      try {
        command = CommandParser.parse(line.get());
      } catch (UsageException e) {
        executor.reportUsage(e);
        failures++;
        continue;
      }
      if (command.isEmpty()) {
        continue;
      }
      CommandExecutor.Outcome outcome = executor.execute(command.get());
      if (outcome == CommandExecutor.Outcome.QUIT) {
        return failures;
      }
      if (outcome == CommandExecutor.Outcome.FAILED) {
        failures++;
      }
    }
  }
}
