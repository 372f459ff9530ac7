package com.bacefook.store.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** A server jar run as its own JVM, its stdout and stderr going to one log file. */
final class ServerProcess {
  private static final long POLL_NANOS = 20_000_000L;

  private final String name;
  private final Process process;
  private final Path log;

  private ServerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java <javaOptions> -jar <jar> <args>} with the JVM running the bench. */
  static ServerProcess start(String name, Path jar, List<String> javaOptions, List<String> args, Path log) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: build the jars first (mvn -B package -DskipTests at the repo root),"
              + " or point --repo at the repository");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      return new ServerProcess(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** The exit code, if the process has ended. */
  OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Returns the log written so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Waits until the log holds {@code text}.
   *
   * @throws IllegalStateException if the process exits or {@code timeout} passes first
   */
  void awaitOutput(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String output = output();
      if (output.contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with code " + process.exitValue() + " before printing '" + text + "'; its log "
                + log + ":\n" + tail(output()));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " did not print '" + text + "' within " + timeout + "; its log " + log + ":\n"
                + tail(output));
      }
      Clock.parkUntil(System.nanoTime() + POLL_NANOS);
    }
  }

  /** Sends SIGTERM without waiting. */
  void requestStop() {
    process.destroy();
  }

  /** Waits up to {@code grace} for the process to end after {@link #requestStop}, then kills it. */
  void awaitStop(Duration grace) {
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(String output) {
    List<String> lines = List.of(output.split("\n"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
