package com.bacefook.store.cli;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;

/** How the shell shows values, configurations and errors: always as whole, readable lines. */
final class Formats {
  private Formats() {}

  /** Returns {@code value} in double quotes, with quotes, backslashes and control characters escaped. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * Returns the lines that show {@code config}: a title, then a table with one row per server in join
   * order (its name, how many key IDs it owns, and its ranges).
   */
  static List<String> configurationTable(Configuration config) {
    List<String> lines = new ArrayList<>();
    int count = config.servers().size();
    if (count == 0) {
      lines.add("configuration #" + config.number() + ": no servers");
      return lines;
    }
    lines.add(
        "configuration #" + config.number() + ": " + count + (count == 1 ? " server" : " servers"));
    int width = "SERVER".length();
    for (ServerRanges entry : config.servers()) {
      width = Math.max(width, entry.server().length());
    }
    String row = "%-" + width + "s  %5s  %s";
    lines.add(String.format(row, "SERVER", "IDS", "RANGES"));
    for (ServerRanges entry : config.servers()) {
      int ids = 0;
      List<String> ranges = new ArrayList<>();
      for (ShardRange range : entry.ranges()) {
        ids += range.size();
        ranges.add(range.toString());
      }
      String shown = ranges.isEmpty() ? "-" : String.join(" ", ranges);
      lines.add(String.format(row, entry.server(), ids, shown).stripTrailing());
    }
    return lines;
  }

  /** Returns one line that says what went wrong, without a stack trace. */
  static String error(RuntimeException e) {
    String text;
    if (e instanceof StatusRuntimeException status) {
      text = status(status.getStatus());
    } else {
      text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    return "error: " + oneLine(text);
  }

  private static String status(Status status) {
    StringBuilder text = new StringBuilder(status.getCode().name());
    String description = status.getDescription();
    Throwable cause = status.getCause();
    if (description != null && !description.isBlank()) {
      text.append(": ").append(description);
    }
    if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(description)) {
      text.append(description == null ? ": " : " (").append(cause.getMessage());
      if (description != null) {
        text.append(')');
      }
    }
    return text.toString();
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
