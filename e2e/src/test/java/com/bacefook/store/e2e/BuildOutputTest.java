package com.bacefook.store.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Maven's output in this repository, piped as run-cluster.sh and test.sh pipe it, holds no terminal
 * escape codes: {@code .mvn/jvm.config} stops the colour library from writing its resets.
 */
class BuildOutputTest {
  @Test
  void pipedMavenOutputHoldsNoEscapeCodes() throws InterruptedException {
    // A build that fails at once, in the repo, with the flags run-cluster.sh uses.
    List<String> command =
        List.of(
            "mvn", "-B", "-q", "-ntp", "-o", "-Dstyle.color=never", "validate", "-pl",
            ":no-such-module");
    Process mvn;
    try {
      mvn =
          new ProcessBuilder(command)
              .directory(Jars.repoRoot().toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
    String output;
    try {
      output = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!mvn.waitFor(60, TimeUnit.SECONDS)) {
        mvn.destroyForcibly();
      }
    }

    assertThat(output).contains("[ERROR]", "no-such-module");
    assertThat(output).doesNotContain("\u001b");
  }
}
