package com.bacefook.store.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain-text tables and number formats for the report printed at the end of a scenario. */
final class Tables {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private boolean allLeft;

  Tables(String... headers) {
    this.headers = List.of(headers);
  }

  /** Aligns every column left, for tables of labelled values rather than numbers. */
  Tables leftAligned() {
    allLeft = true;
    return this;
  }

  Tables row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(String.valueOf(cell));
    }
    rows.add(row);
    return this;
  }

  /** Renders the table: first column left-aligned, the others right-aligned. */
  String render() {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> row : rows) {
        if (c < row.size()) {
          width[c] = Math.max(width[c], row.get(c).length());
        }
      }
    }
    StringBuilder out = new StringBuilder();
    appendRow(out, headers, width, allLeft);
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    out.append(rule).append('\n');
    for (List<String> row : rows) {
      appendRow(out, row, width, allLeft);
    }
    return out.toString();
  }

  private static void appendRow(StringBuilder out, List<String> row, int[] width, boolean allLeft) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      String cell = c < row.size() ? row.get(c) : "";
      String pad = " ".repeat(Math.max(0, width[c] - cell.length()));
      line.append(c == 0 ? "" : "  ").append(c == 0 || allLeft ? cell + pad : pad + cell);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  /** {@code 12,345}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Microseconds as milliseconds with three significant digits: {@code 0.412}, {@code 4.12}, {@code 41.2}. */
  static String millis(long micros) {
    double ms = micros / 1000.0;
    if (ms < 1) {
      return String.format(Locale.ROOT, "%.3f", ms);
    }
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f", ms);
    }
    if (ms < 100) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%,.0f", ms);
  }

  /** {@code 1.23}. */
  static String fixed(double value, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  /** {@code 81%/12%}: the machine's capacity used by the bench and its servers, and by other processes. */
  static String cpu(CpuAccounting.Share share) {
    if (share == null || share.busy() < 0) {
      return "-";
    }
    return Math.round(share.ours() * 100) + "%/" + Math.round(share.others() * 100) + "%";
  }

  /** Error counts as {@code 0} or {@code NOT_FOUND=3 UNAVAILABLE=1}. */
  static String errors(Map<String, Long> errors) {
    if (errors.isEmpty()) {
      return "0";
    }
    return errors.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  /** The rows of a sweep: one per client count, then one per operation beneath it when several ran. */
  static String sweep(List<StepResult> steps) {
    Tables table =
        new Tables(
            "clients", "op", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "CPU ours/other",
            "server CPU µs/op");
    for (StepResult step : steps) {
      table.row(
          step.clients(),
          "all",
          count(Math.round(step.opsPerSecond())),
          millis(step.latency().p50Us()),
          millis(step.latency().p99Us()),
          millis(step.latency().p999Us()),
          millis(step.latency().maxUs()),
          errors(step.errors()),
          cpu(step.cpu()),
          step.serverCpuUsPerOp() < 0 ? "-" : fixed(step.serverCpuUsPerOp(), 1));
      if (step.perOp().size() > 1) {
        for (StepResult.OpResult op : step.perOp()) {
          table.row(
              "",
              op.op(),
              count(Math.round(op.opsPerSecond())),
              millis(op.latency().p50Us()),
              millis(op.latency().p99Us()),
              millis(op.latency().p999Us()),
              millis(op.latency().maxUs()),
              errors(op.errors()));
        }
      }
    }
    return table.render();
  }
}
