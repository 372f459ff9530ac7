package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.bacefook.store.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: {@code run-cluster.sh} (here with {@code --no-cli}, free ports and its own run
 * directory) starts the shardmaster, three servers and the gateway listening on loopback only. The
 * kernel's table of listening sockets ({@code /proc/net/tcp} and {@code tcp6}) is the witness.
 */
class RunClusterLoopbackTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  /** The kernel's state code of a listening socket. */
  private static final String LISTEN = "0A";

  @TempDir Path runDir;
  private Process script;

  @AfterEach
  void stopEverything() throws InterruptedException {
    if (script == null) {
      return;
    }
    List<ProcessHandle> started = script.descendants().toList();
    script.destroy();
    if (!script.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      script.destroyForcibly();
    }
    for (ProcessHandle child : started) {
      try {
        child.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        child.destroyForcibly();
      }
    }
    assertThat(started).as("processes run-cluster.sh started").noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void everyProcessListensOnLoopbackOnly() throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
    List<Integer> ports = IntStream.range(0, 5).mapToObj(i -> FreePorts.next()).toList();
    Path output = runDir.resolve("run-cluster.out");
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash", Jars.repoRoot().resolve("run-cluster.sh").toString(), "--no-cli",
                "--in-memory")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    Map<String, String> env = builder.environment();
    env.put("RUN_DIR", runDir.toString());
    env.put("SHARDMASTER_PORT", String.valueOf(ports.get(0)));
    env.put("SHARDKV_PORTS", ports.subList(1, 4).stream().map(String::valueOf)
        .collect(Collectors.joining(" ")));
    env.put("GATEWAY_PORT", String.valueOf(ports.get(4)));

    script = builder.start();

    await("run-cluster.sh to say it is up")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Files.readString(output).contains("Bacefook is up") || !script.isAlive());
    assertThat(Files.readString(output)).contains("Bacefook is up");
    Map<Integer, List<InetAddress>> listening = listeningAddresses(ports);
    assertThat(listening.keySet()).as("ports listened on").containsExactlyInAnyOrderElementsOf(ports);
    listening.forEach(
        (port, addresses) ->
            assertThat(addresses)
                .as("addresses listening on port " + port)
                .allMatch(InetAddress::isLoopbackAddress));
  }

  /** Returns, for each of {@code ports} that something listens on, the addresses it listens on. */
  private static Map<Integer, List<InetAddress>> listeningAddresses(List<Integer> ports) {
    Map<Integer, List<InetAddress>> found = new TreeMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        if (table.endsWith("6")) {
          continue; // no IPv6 on this machine
        }
        throw new UncheckedIOException(e);
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.strip().split("\\s+");
        String[] local = fields[1].split(":");
        int port = Integer.parseInt(local[1], 16);
        if (fields[3].equals(LISTEN) && ports.contains(port)) {
          found.computeIfAbsent(port, p -> new ArrayList<>()).add(address(local[0]));
        }
      }
    }
    return found;
  }

  /** Decodes an address as the kernel prints it: 32-bit words in host (little-endian) order. */
  private static InetAddress address(String hex) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    for (int word = 0; word < bytes.length; word += 4) {
      for (int i = 0; i < 2; i++) {
        byte swap = bytes[word + i];
        bytes[word + i] = bytes[word + 3 - i];
        bytes[word + 3 - i] = swap;
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("bad address " + hex, e);
    }
  }
}
