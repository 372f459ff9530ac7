package com.bacefook.store.bench;

/** Notes printed under the tables and kept in the results. */
final class Notes {
  static final String CLOSED_LOOP =
      "closed loop: each client sends its next request only after the reply, with no target rate, so the"
          + " latencies are the service times clients saw and HdrHistogram's coordinated-omission correction"
          + " (recordValueWithExpectedInterval) does not apply; a stall shows as lower ops/s and a higher max,"
          + " not as a long queue of delayed requests. Clients, servers and shardmaster share the machine's cores.";

  static final String CPU =
      "CPU ours/other: the share of the machine's capacity (all cores, from /proc) used in the measured window by"
          + " the bench and the servers it started, and by every other process; a large 'other' share means the"
          + " numbers were taken on a busy machine. server CPU µs/op: CPU time (utime + stime from /proc/PID/stat) of"
          + " the server processes (shardmaster and shardkvs started here, or redis-server with --redis-pid) in the"
          + " window per successful operation; '-' when their processes are not known.";

  private Notes() {}
}
