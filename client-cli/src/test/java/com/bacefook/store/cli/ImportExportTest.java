package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.client.ServerProbe;
import com.bacefook.store.client.StoreClient;
import com.bacefook.store.testkit.MiniCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import} and {@code export} against a real two-server {@link MiniCluster}. */
class ImportExportTest {
  @TempDir Path dir;
  private MiniCluster cluster;
  private StoreClient store;
  private StringWriter buffer;
  private CommandExecutor executor;

  @BeforeEach
  void startCluster() {
    cluster = MiniCluster.start();
    cluster.startAndJoin();
    cluster.startAndJoin();
    store = cluster.newStoreClient();
    buffer = new StringWriter();
    executor = new CommandExecutor(
            cluster.shardmasterClient(),
            store,
            new ServerProbe(cluster.channels(), Duration.ofSeconds(2)),
            new PrintWriter(buffer));
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  private List<String> run(String line) throws UsageException {
    int before = buffer.toString().length();
    Optional<Command> command = CommandParser.parse(line);
    command.ifPresent(executor::execute);
    String added = buffer.toString().substring(before);
    return added.isEmpty() ? List.of() : List.of(added.split("\n"));
  }

  private Path file(String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
  }

  private Optional<String> value(String key) {
    try {
      return Optional.of(store.get(key).value());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Test
  void importWritesEveryKeyOnItsOwnerAndKeepsPostLists() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int id = 0; id <= 1000; id += 10) {
      lines.add("{\"key\":\"k_" + id + "_1\",\"value\":\"v" + id + "\"}");
    }
    lines.add("{\"key\":\"post_999\",\"value\":\"hi\",\"user\":\"user_3\"}");
    Path input = file("in.jsonl", lines);

    List<String> output = run("import " + input);

    assertThat(output).last().isEqualTo("OK: imported " + lines.size() + " keys from " + input);
    assertThat(output).anyMatch(l -> l.startsWith("progress: " + lines.size() + " keys written, 0 not written"));
    assertThat(value("k_1000_1")).contains("v1000");
    assertThat(value("k_0_1")).contains("v0");
    assertThat(value("user_3_posts")).contains("post_999,");
  }

  @Test
  void badLinesAreReportedByNumberAndSkippedAndTheImportIsNotReportedDone() throws Exception {
    Path input =
        file("mixed.jsonl",
            List.of("{\"key\":\"k_1_1\",\"value\":\"a\"}", "{oops", "", "{\"key\":\"bad key\",\"value\":\"b\"}",
                "{\"key\":\"k_2_1\",\"value\":\"c\"}"));

    List<String> output = run("import " + input);

    assertThat(output).contains("line 2: not JSON: Unexpected character ('o' (code 111)): was expecting double-quote to start field name; skipped");
    assertThat(output).anyMatch(l -> l.startsWith("line 4: key \"bad key\" not written: INVALID_ARGUMENT"));
    assertThat(output).last().asString()
        .startsWith("error: import of " + input + " incomplete: 2 keys written, 1 not written, 1 bad line(s) skipped");
    assertThat(value("k_1_1")).contains("a");
    assertThat(value("k_2_1")).contains("c");
  }

  @Test
  void strictImportWritesNothingIfAnyLineIsBad() throws Exception {
    Path input = file("strict.jsonl", List.of("{\"key\":\"k_1_9\",\"value\":\"a\"}", "{\"key\":\"k_2_9\"}"));

    List<String> output = run("import " + input + " --strict");

    assertThat(output).containsExactly(
        "line 2: missing \"value\"", "error: import of " + input + " aborted: 1 bad line(s), nothing written");
    assertThat(value("k_1_9")).isEmpty();
  }

  @Test
  void exportWritesWhatImportReadsBack() throws Exception {
    store.put("user_3", "Ann", "");
    store.put("post_999", "hi", "user_3");
    store.put("k_600_1", "x \"y\"", "");
    Path exported = dir.resolve("out.jsonl");

    assertThat(run("export " + exported)).containsExactly("OK: exported 4 keys to " + exported);

    assertThat(Files.readAllLines(exported))
        .containsExactlyInAnyOrder(
            "{\"key\":\"user_3\",\"value\":\"Ann\"}",
            "{\"key\":\"user_3_posts\",\"value\":\"post_999,\"}",
            "{\"key\":\"post_999\",\"value\":\"hi\",\"user\":\"user_3\"}",
            "{\"key\":\"k_600_1\",\"value\":\"x \\\"y\\\"\"}");
    assertThat(dir.resolve("out.jsonl.partial")).doesNotExist();
    assertThat(run("export")).hasSize(4).contains("{\"key\":\"user_3\",\"value\":\"Ann\"}");
  }

  @Test
  void usageErrorsNameTheForm() {
    assertThatThrownBy(() -> CommandParser.parse("import")).hasMessageContaining("usage: import <file> [--strict]");
    assertThatThrownBy(() -> CommandParser.parse("import a b")).hasMessageContaining("one file, got 2");
    assertThatThrownBy(() -> CommandParser.parse("import a --fast")).hasMessageContaining("unknown option --fast");
    assertThatThrownBy(() -> CommandParser.parse("export a b")).hasMessageContaining("at most one file");
  }

  @Test
  void aMissingFileIsOneErrorLine() throws Exception {
    assertThat(run("import " + dir.resolve("none.jsonl")))
        .containsExactly("error: no file " + dir.resolve("none.jsonl"));
  }
}
