package com.bacefook.store.testkit.chaos;

import com.bacefook.store.testkit.history.CheckResult;
import com.bacefook.store.testkit.history.Operation;
import com.bacefook.store.testkit.history.Violation;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ChaosRun} did and found.
 *
 * @param duration how long the workload ran (the final read sweep comes on top)
 * @param clients how many client threads
 * @param keys how many keys they used
 * @param operations operations recorded
 * @param operationsByKind operations recorded, by kind
 * @param unknownOperations recorded operations whose outcome is unknown
 * @param failedOperations calls that certainly failed, and so were not recorded
 * @param reconfigurations the configuration changes made
 * @param kills the replica group members stopped and started again, in order
 * @param longestOutage the longest time the keys of one range went without an answer
 * @param duringReconfiguration latencies of operations invoked while a change was under way
 * @param steadyState latencies of the other operations
 * @param check the linearizability checker's verdict on the history
 * @param history every recorded operation, in invocation order
 */
public record ChaosReport(
    Duration duration,
    int clients,
    int keys,
    int operations,
    Map<Operation.Kind, Integer> operationsByKind,
    int unknownOperations,
    int failedOperations,
    Reconfigurations reconfigurations,
    List<MemberKill> kills,
    Outage longestOutage,
    LatencySummary duringReconfiguration,
    LatencySummary steadyState,
    CheckResult check,
    List<Operation> history) {

  private static final int VIOLATIONS_SHOWN = 3;

  /** Copies the collections. */
  public ChaosReport {
    Map<Operation.Kind, Integer> byKind = new EnumMap<>(Operation.Kind.class);
    byKind.putAll(operationsByKind);
    operationsByKind = Collections.unmodifiableMap(byKind);
    history = List.copyOf(history);
    kills = List.copyOf(kills);
  }

  /** Returns whether the history was shown linearizable: no violations and no undecided keys. */
  public boolean passed() {
    return check.isLinearizable();
  }

  /** Returns a readable report, with the first few violations explained. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append(String.format(
        "chaos run: %d s, %d clients, %d keys%n", duration.toSeconds(), clients, keys));
    text.append(String.format(
        "  operations recorded: %d %s, %d of them with unknown outcome; %d failed definitely%n",
        operations, operationsByKind, unknownOperations, failedOperations));
    text.append(String.format(
        "  reconfigurations: %d (%d joins, %d leaves, %d moves; %d rejected; %d servers started)%n",
        reconfigurations.total(), reconfigurations.joins(), reconfigurations.leaves(),
        reconfigurations.moves(), reconfigurations.rejected(), reconfigurations.serversStarted()));
    if (!kills.isEmpty()) {
      text.append(String.format(
          "  members stopped: %d (%d leaders, %d wiped): %s%n",
          kills.size(),
          kills.stream().filter(MemberKill::wasLeader).count(),
          kills.stream().filter(MemberKill::wiped).count(),
          kills.stream().map(kill -> kill.member() + (kill.wasLeader() ? " (leader)" : "")).toList()));
    }
    text.append(String.format(
        "  longest time a range's keys went unanswered: %d ms (%s)%n",
        longestOutage.length().toMillis(), longestOutage.range()));
    text.append("  latency during reconfiguration: ").append(duringReconfiguration).append('\n');
    text.append("  latency in steady state:        ").append(steadyState).append('\n');
    text.append("  linearizability: ").append(check.summary()).append('\n');
    if (!check.undecidedKeys().isEmpty()) {
      text.append("  undecided keys: ").append(check.undecidedKeys()).append('\n');
    }
    List<Violation> violations = check.violations();
    if (!violations.isEmpty()) {
      text.append("  keys with violations: ")
          .append(violations.stream().map(Violation::key).toList()).append('\n');
      for (Violation violation : violations.subList(0, Math.min(VIOLATIONS_SHOWN, violations.size()))) {
        text.append(violation.explanation());
      }
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
