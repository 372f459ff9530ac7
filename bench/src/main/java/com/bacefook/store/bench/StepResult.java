package com.bacefook.store.bench;

import java.util.List;
import java.util.Map;

/**
 * One measured step of closed-loop load.
 *
 * @param clients concurrent clients, each waiting for its reply before sending the next request
 * @param seconds the measured window (warm-up excluded)
 * @param ops successful operations completed in the window
 * @param opsPerSecond {@code ops / seconds}
 * @param latency latency of the successful operations
 * @param errors failed operations by status code
 * @param perOp the same per operation
 * @param cpu how busy the machine was in the window, and with what: ours (bench and the servers it
 *     started) or other processes
 * @param serverCpuUsPerOp CPU time of the server processes in the window (utime + stime from
 *     /proc/PID/stat) per successful operation, in microseconds; -1 when the servers' processes are
 *     not known
 */
record StepResult(
    int clients,
    double seconds,
    long ops,
    double opsPerSecond,
    LatencyStats latency,
    Map<String, Long> errors,
    List<OpResult> perOp,
    CpuAccounting.Share cpu,
    double serverCpuUsPerOp) {

  /** The share of one operation in a step. */
  record OpResult(String op, long ops, double opsPerSecond, LatencyStats latency, Map<String, Long> errors) {}

  /** This step with the CPU used between {@code start} and {@code end}: its share and server µs/op. */
  StepResult withCpu(CpuAccounting.Snapshot start, CpuAccounting.Snapshot end) {
    return new StepResult(clients, seconds, ops, opsPerSecond, latency, errors, perOp,
        CpuAccounting.between(start, end), CpuAccounting.serverMicrosPerOp(start, end, ops));
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
