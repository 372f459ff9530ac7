package com.bacefook.store.cli;

import java.util.Optional;

/**
 * The read-parse-run loop: reads lines until {@code quit}, {@code exit} or the end of input; a line
 * that does not parse, or a command that fails, prints one error line and the loop goes on.
 */
public final class Shell {
  private final LineSource lines;
  private final CommandExecutor executor;

  /** Creates a shell that reads from {@code lines} and runs commands with {@code executor}. */
  public Shell(LineSource lines, CommandExecutor executor) {
    this.lines = lines;
    this.executor = executor;
  }

  /** Runs until the user quits or the input ends. */
  public void run() {
    while (true) {
      Optional<String> line = lines.readLine();
      if (line.isEmpty()) {
        return;
      }
      Optional<Command> command;
      try {
        command = CommandParser.parse(line.get());
      } catch (UsageException e) {
        executor.reportUsage(e);
        continue;
      }
      if (command.isPresent() && !executor.execute(command.get())) {
        return;
      }
    }
  }
}
