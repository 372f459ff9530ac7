package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run-cluster.sh} as a user runs it, on free ports with its own run directory: a {@code
 * --no-cli} run is stopped from another shell with {@code --stop}, which returns once everything the
 * run started is gone.
 */
class RunClusterTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path runDir;

  @Test
  void stopEndsANoCliRunAndEverythingItStarted() {
    List<Integer> ports =
        List.of(FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next());
    Map<String, String> env =
        Map.of(
            "RUN_DIR", runDir.toString(),
            "SHARDMASTER_PORT", String.valueOf(ports.get(0)),
            "SHARDKV_PORTS", ports.get(1) + " " + ports.get(2),
            "GATEWAY_PORT", String.valueOf(ports.get(3)));
    Path script = Jars.repoRoot().resolve("run-cluster.sh");
    JarProcess run =
        JarProcess.startScript("run-cluster", script, List.of("--no-cli", "--in-memory"), env);
    List<ProcessHandle> started = new ArrayList<>();
    try {
      run.awaitLine(line -> line.startsWith("Bacefook is up"), START_TIMEOUT);
      ProcessHandle.of(run.pid()).ifPresent(h -> h.descendants().forEach(started::add));
      assertThat(started).as("processes started by run-cluster.sh").hasSizeGreaterThanOrEqualTo(4);
      for (int port : ports) {
        assertThat(listening(port)).as("port %d while running", port).isTrue();
      }

      JarProcess stop = JarProcess.startScript("run-cluster-stop", script, List.of("--stop"), env);
      assertThat(stop.awaitExit(STOP_TIMEOUT)).as(stop.transcript()).isZero();
      assertThat(stop.stdout())
          .containsExactly("stopped the cluster of run-cluster.sh (pid " + run.pid() + ")");

      assertThat(run.awaitExit(Duration.ofSeconds(10))).isEqualTo(130);
      assertThat(started).noneMatch(ProcessHandle::isAlive);
      for (int port : ports) {
        assertThat(listening(port)).as("port %d after --stop", port).isFalse();
      }
    } finally {
      run.stop(JarProcess.STOP_GRACE);
      started.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
