package com.bacefook.store.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How busy the machine was, and how much of that was the bench and the servers it started, from
 * {@code /proc} (Linux; elsewhere every figure is -1). On a machine shared with other work this says
 * whether a run's numbers can be trusted: the load average cannot, since the run's own threads count in it.
 */
final class CpuAccounting {
  private CpuAccounting() {}

  /**
   * Linux's USER_HZ, the unit of CPU times in {@code /proc/<pid>/stat}: 100 on every mainstream
   * architecture (it is fixed by the kernel ABI, whatever the kernel's own tick rate).
   */
  static final long TICKS_PER_SECOND = 100;

  /**
   * Clock ticks: the machine's busy and total time over all cores, the CPU time of this JVM and the
   * listed processes, and of the listed processes alone (the servers).
   */
  record Snapshot(long busy, long total, long ours, long servers) {}

  /**
   * Shares of the machine's capacity (all cores) between two snapshots.
   *
   * @param busy the machine was busy
   * @param ours used by the bench and the processes it started
   * @param others used by everything else
   */
  record Share(double busy, double ours, double others) {
    static final Share UNKNOWN = new Share(-1, -1, -1);
  }

  /** Takes a snapshot counting this JVM and {@code pids} as ours. */
  static Snapshot take(List<Long> pids) {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) {
        total += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      long servers = 0;
      for (long pid : pids) {
        servers += processTicks(pid);
      }
      long ours = processTicks(ProcessHandle.current().pid()) + servers;
      return new Snapshot(total - idle, total, ours, pids.isEmpty() ? -1 : servers);
    } catch (IOException | RuntimeException e) {
      return new Snapshot(-1, -1, -1, -1);
    }
  }

  /**
   * CPU time of the listed processes (the servers) between two snapshots per operation, in
   * microseconds; -1 if unknown (no processes listed, no /proc, no operations).
   */
  static double serverMicrosPerOp(Snapshot before, Snapshot after, long ops) {
    if (before.servers() < 0 || after.servers() < 0 || ops <= 0) {
      return -1;
    }
    double micros = (after.servers() - before.servers()) * 1e6 / TICKS_PER_SECOND;
    return Math.round(micros / ops * 10) / 10.0;
  }

  static Share between(Snapshot before, Snapshot after) {
    long total = after.total() - before.total();
    if (before.total() < 0 || after.total() < 0 || total <= 0) {
      return Share.UNKNOWN;
    }
    double busy = (after.busy() - before.busy()) / (double) total;
    double ours = Math.max(0, (after.ours() - before.ours()) / (double) total);
    return new Share(round3(busy), round3(Math.min(busy, ours)), round3(Math.max(0, busy - ours)));
  }

  /** utime + stime of a process (all its threads), in clock ticks; 0 if it is gone. */
  private static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
