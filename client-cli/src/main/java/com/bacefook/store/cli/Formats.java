package com.bacefook.store.cli;

import com.bacefook.store.client.ServerReport;
import com.bacefook.store.proto.RangeStatus;
import com.bacefook.store.proto.ReplicaStatus;
import com.bacefook.store.proto.ServerStatus;
import com.bacefook.store.security.CertificateProblems;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the shell shows values, configurations and errors: always as whole, readable lines. */
final class Formats {
  /**
   * Netty's message for a refused connection ends with {@code Connection refused: [host]/ip:port}.
   */
  private static final Pattern REFUSED = Pattern.compile("Connection refused: \\S*?/(\\S+)$");

  private Formats() {}

  /**
   * Returns {@code value} in double quotes, with quotes, backslashes and control characters
   * escaped.
   */
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
   * Returns the lines that show {@code config}: a title, then a table with one row per server in
   * join order (its name, how many key IDs it owns, and its ranges).
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
      entry.group().ifPresent(group -> lines.add("  " + groupLine(entry.server(), group)));
    }
    return lines;
  }

  /**
   * Returns the line under a replica group's row: {@code group g1: leader h:1, replicas h:1 h:2
   * h:3}.
   */
  static String groupLine(String leader, ReplicaSet group) {
    return "group " + group.name() + ": leader " + leader + ", replicas "
        + (group.replicas().isEmpty() ? "-" : String.join(" ", group.replicas()));
  }

  /**
   * Returns {@code status}'s table: one row per server with its health, configuration and handoffs,
   * each followed by a line per range it serves, waits for or sends ({@link #rangeLine}).
   */
  static List<String> statusTable(List<ServerReport> reports) {
    List<String> lines = new ArrayList<>();
    if (reports.isEmpty()) {
      lines.add("no servers in the configuration");
      return lines;
    }
    int width = "SERVER".length();
    for (ServerReport report : reports) {
      width = Math.max(width, report.server().length());
    }
    String row = "%-" + width + "s  %-11s  %6s  %9s  %-9s  %s";
    lines.add(String.format(row, "SERVER", "HEALTH", "CONFIG", "KEYS", "STORAGE", "HANDOFFS"));
    for (ServerReport report : reports) {
      if (report.status().isEmpty()) {
        lines.add(String.format(row, report.server(), report.health(), "-", "-", "-", "-").stripTrailing());
        continue;
      }
      ServerStatus status = report.status().get();
      String config =
          status.getConfigNum() == status.getLatestConfigNum()
              ? "#" + status.getConfigNum()
              : "#" + status.getConfigNum() + "<" + status.getLatestConfigNum();
      List<String> handoffs = new ArrayList<>();
      if (status.getHandoffsSending() > 0) {
        handoffs.add("sending " + status.getHandoffsSending());
      }
      if (status.getWaitingForCount() > 0) {
        List<String> ranges = new ArrayList<>();
        status.getWaitingForList().forEach(r -> ranges.add("[" + r.getLower() + "," + r.getUpper() + "]"));
        handoffs.add("waiting for " + String.join(" ", ranges));
      }
      lines.add(
          String.format(
                  row,
                  report.server(),
                  report.health(),
                  config,
                  status.getKeys(),
                  status.getDurable() ? "durable" : "in-memory",
                  handoffs.isEmpty() ? "none" : String.join("; ", handoffs))
              .stripTrailing());
      if (!status.getGroup().isEmpty()) {
        lines.add(
            "  group " + status.getGroup() + ": member " + status.getRaftId() + " is " + status.getRole());
        status.getReplicasList().forEach(replica -> lines.add("  " + replicaLine(replica)));
      }
      status.getRangesList().forEach(range -> lines.add("  " + rangeLine(range)));
    }
    return lines;
  }

  /**
   * Returns one replica as its group's leader sees it: {@code replica b h:2 follower healthy lag 3}
   * ({@code unhealthy} if it has not answered the leader lately; the address is {@code -} until it
   * announced it).
   */
  static String replicaLine(ReplicaStatus replica) {
    return "replica " + replica.getRaftId() + " "
        + (replica.getAddress().isEmpty() ? "-" : replica.getAddress()) + " " + replica.getRole()
        + " " + (replica.getHealthy() ? "healthy" : "unhealthy") + " lag " + replica.getLag();
  }

  /**
   * Returns one range's state: {@code [0,333] serving}, {@code [334,500] sending → host:port (40%)},
   * {@code [501,600] waiting ← host:port (120 keys)}.
   */
  static String rangeLine(RangeStatus range) {
    String line =
        "[" + range.getShard().getLower() + "," + range.getShard().getUpper() + "] " + range.getState();
    if (range.getPeer().isEmpty()) {
      return line;
    }
    line += (range.getState().equals("sending") ? " → " : " ← ") + range.getPeer();
    if (range.getKeysTotal() > 0) {
      return line + " (" + Math.min(100, range.getKeysDone() * 100 / range.getKeysTotal()) + "%)";
    }
    return range.getKeysDone() > 0 ? line + " (" + range.getKeysDone() + " keys)" : line;
  }

  /** Returns one line that says what went wrong, without a stack trace. */
  static String error(RuntimeException e) {
    return "error: " + failure(e);
  }

  /** Returns what went wrong as one line, without the {@code error: } in front. */
  static String failure(RuntimeException e) {
    String text;
    if (e instanceof StatusRuntimeException status) {
      text = status(status.getStatus());
    } else {
      text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    return oneLine(text);
  }

  private static String status(Status status) {
    String code = status.getCode().name();
    Optional<String> tls = CertificateProblems.describeHandshakeFailure(status.getCause());
    if (tls.isPresent()) {
      return code + ": " + tls.get();
    }
    Optional<String> refused = refusedAddress(status.getCause());
    if (refused.isPresent()) {
      return code + ": cannot connect to " + refused.get() + " (connection refused)";
    }
    String description = status.getDescription();
    String cause = status.getCause() == null ? null : status.getCause().getMessage();
    if (description == null || description.isBlank()) {
      return cause == null ? code : code + ": " + cause;
    }
    if (cause == null || cause.equals(description)) {
      return code + ": " + description;
    }
    return code + ": " + description + " (" + cause + ")";
  }

  /** Returns the address a connection was refused by, if {@code cause} is such a refusal. */
  private static Optional<String> refusedAddress(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectException && t.getMessage() != null) {
        Matcher matcher = REFUSED.matcher(t.getMessage());
        if (matcher.find()) {
          return Optional.of(matcher.group(1));
        }
      }
    }
    return Optional.empty();
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
