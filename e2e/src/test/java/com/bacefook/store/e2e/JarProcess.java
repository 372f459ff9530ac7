package com.bacefook.store.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A jar run as a separate JVM ({@code java -jar}): its stdout and stderr captured line by line,
 * waits for a line or for the exit with a deadline, input sent line by line, and a stop that always
 * ends it (a polite {@code destroy}, then {@code destroyForcibly} after a bound). {@link #kill}
 * ends it at once, as {@code kill -9} would.
 */
public final class JarProcess implements AutoCloseable {
  /** How long {@link #close} lets a process shut down before it is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final Object lock = new Object();
  private final List<String> stdout = new ArrayList<>(); // guarded by lock
  private final List<String> stderr = new ArrayList<>(); // guarded by lock
  private final List<String> both = new ArrayList<>(); // guarded by lock
  private boolean stdoutEnded; // guarded by lock
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private JarProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.stdoutReader = reader(process.getInputStream(), stdout, "", true);
    this.stderrReader = reader(process.getErrorStream(), stderr, "[stderr] ", false);
  }

  /**
   * Starts {@code java -jar jar args...} with the JVM running this test.
   *
   * @param name a short name for messages, such as {@code shardkv-2}
   */
  public static JarProcess start(String name, Path jar, List<String> args) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: build it first (mvn -pl <module> package from the repo root)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    try {
      return new JarProcess(name, new ProcessBuilder(command).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /**
   * Starts the shell script {@code script} with {@code args}, in the repo root, with {@code env}
   * added to this process's environment.
   */
  public static JarProcess startScript(
      String name, Path script, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(Jars.repoRoot().toFile());
    builder.environment().putAll(env);
    try {
      return new JarProcess(name, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /** Returns the short name given at start. */
  public String name() {
    return name;
  }

  /** Returns the operating system's id of the process. */
  public long pid() {
    return process.pid();
  }

  /** Returns whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until a line of stdout matches {@code wanted} and returns it.
   *
   * @throws AssertionError if the process exits or {@code timeout} passes first; the message holds
   *     everything the process printed
   */
  public String awaitLine(Predicate<String> wanted, Duration timeout) {
    return awaitLine(stdout, wanted, timeout);
  }

  /**
   * Waits until a line of stderr, where the servers log, matches {@code wanted} and returns it.
   *
   * @throws AssertionError if the process ends its output or {@code timeout} passes first
   */
  public String awaitLogLine(Predicate<String> wanted, Duration timeout) {
    return awaitLine(stderr, wanted, timeout);
  }

  private String awaitLine(List<String> lines, Predicate<String> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (wanted.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        // The stdout reader notifies on every line and at the end of the stream.
        if (stdoutEnded) {
          throw new AssertionError(
              name
                  + " ended its output (exit code "
                  + exitCodeOrRunning()
                  + ") before printing the line waited for\n"
                  + transcriptLocked());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              name
                  + " did not print the line waited for within "
                  + timeout
                  + "\n"
                  + transcriptLocked());
        }
        waitLocked(left);
      }
    }
  }

  /** Writes {@code line} and a newline to the process's stdin. */
  public void send(String line) {
    try {
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + name + "\n" + transcript(), e);
    }
  }

  /** Closes the process's stdin: it reads the end of its input. */
  public void closeInput() {
    try {
      stdin.close();
    } catch (IOException e) {
      // The process has exited and closed its end already; nothing left to tell it.
    }
  }

  /**
   * Waits for the process to exit and its output to be read in full, and returns its exit code.
   *
   * @throws AssertionError if it is still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not exit within " + timeout + "\n" + transcript());
      }
      // The exit closes the pipes, so the readers finish promptly.
      stdoutReader.join(timeout.toMillis());
      stderrReader.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
    return process.exitValue();
  }

  /** Returns the lines printed to stdout so far. */
  public List<String> stdout() {
    synchronized (lock) {
      return List.copyOf(stdout);
    }
  }

  /** Returns the lines printed to stderr so far. */
  public List<String> stderr() {
    synchronized (lock) {
      return List.copyOf(stderr);
    }
  }

  /** Returns everything printed so far, stdout and stderr interleaved (stderr lines marked). */
  public String transcript() {
    synchronized (lock) {
      return transcriptLocked();
    }
  }

  /** Writes {@link #transcript} to {@code file}, creating its folder. */
  public void saveTranscript(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, transcript(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Freezes the process (SIGSTOP) or lets it run again (SIGCONT), as a long pause would: its
   * connections stay open and nothing it has not done yet happens.
   */
  public void freeze(boolean frozen) {
    try {
      Process kill =
          new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()))
              .inheritIO()
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("could not " + (frozen ? "freeze " : "thaw ") + name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Ends the process at once (SIGKILL on Unix) and waits for it to be gone. */
  public void kill() {
    process.destroyForcibly();
    awaitGone(STOP_GRACE);
  }

  /**
   * Asks the process to stop (SIGTERM on Unix), kills it if it is still running after {@code
   * grace}, and waits for it to be gone. Safe to call more than once.
   */
  public void stop(Duration grace) {
    closeInput();
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!awaitGone(grace)) {
      process.destroyForcibly();
      awaitGone(STOP_GRACE);
    }
  }

  /** Stops the process with {@link #STOP_GRACE}. */
  @Override
  public void close() {
    stop(STOP_GRACE);
  }

  private boolean awaitGone(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private Thread reader(InputStream stream, List<String> lines, String mark, boolean isStdout) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (lock) {
                    lines.add(line);
                    both.add(mark + line);
                    lock.notifyAll();
                  }
                }
              } catch (IOException e) {
                // The stream broke because the process is gone: the output ends here.
              } finally {
                synchronized (lock) {
                  if (isStdout) {
                    stdoutEnded = true;
                  }
                  lock.notifyAll();
                }
              }
            },
            name + (isStdout ? "-stdout" : "-stderr"));
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void waitLocked(long nanos) {
    try {
      // Wakes early on every new line and at the end of the output; re-checked by the caller.
      TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
  }

  private String exitCodeOrRunning() {
    return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
  }

  private String transcriptLocked() {
    StringBuilder text = new StringBuilder("--- output of " + name + " ---\n");
    for (String line : both) {
      text.append(line).append('\n');
    }
    return text.append("--- end of ").append(name).append(" ---").toString();
  }
}
