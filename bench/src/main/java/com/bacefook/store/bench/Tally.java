package com.bacefook.store.bench;

import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the client threads of one generator measured: a latency recorder per operation (written by every
 * client, wait-free; read interval by interval by the driving thread) and error counts per operation and
 * status code. One recorder per operation rather than per client keeps the once-a-second drain cheap,
 * which matters when the bench shares two cores with the servers it measures.
 */
final class Tally {
  /** Latencies are recorded in microseconds, from 1 µs to a minute, with 3 significant digits. */
  static final long HIGHEST_MICROS = 60_000_000L;

  static final int SIGNIFICANT_DIGITS = 3;
  /** Error slots per operation: one per gRPC status code, and one for failures that are not statuses. */
  static final int ERROR_SLOTS = Status.Code.values().length + 1;

  private final Recorder[] recorders = new Recorder[Op.values().length];
  /** The last interval histogram of each recorder, handed back to it for reuse (no garbage per drain). */
  private final Histogram[] spare = new Histogram[Op.values().length];
  private final AtomicLongArray errors = new AtomicLongArray(Op.values().length * ERROR_SLOTS);

  /** Creates recorders for the operations of {@code mix}. */
  Tally(OpMix mix) {
    for (Op op : mix.weights().keySet()) {
      recorders[op.ordinal()] = new Recorder(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }
  }

  static Histogram newHistogram() {
    return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  }

  /** Records a successful {@code op} that took {@code nanos}. Any thread. */
  void success(Op op, long nanos) {
    long micros = Math.max(1, Math.min(HIGHEST_MICROS, (nanos + 500) / 1000));
    recorders[op.ordinal()].recordValue(micros);
  }

  /** Records a failed {@code op}; {@code code} is null for a failure that is not a gRPC status. Any thread. */
  void failure(Op op, Status.Code code) {
    int slot = code == null ? ERROR_SLOTS - 1 : code.ordinal();
    errors.incrementAndGet(op.ordinal() * ERROR_SLOTS + slot);
  }

  /** Adds what was recorded since the last call to {@code into}, indexed by op ordinal. Driving thread only. */
  void drainInto(Histogram[] into) {
    for (int i = 0; i < recorders.length; i++) {
      if (recorders[i] != null) {
        spare[i] = spare[i] == null ? recorders[i].getIntervalHistogram() : recorders[i].getIntervalHistogram(spare[i]);
        into[i].add(spare[i]);
      }
    }
  }

  /** Returns the error counts so far, indexed {@code op * ERROR_SLOTS + slot}. */
  long[] errorCounts() {
    long[] copy = new long[errors.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = errors.get(i);
    }
    return copy;
  }

  /** Returns the name of error slot {@code slot}: a status code name, or {@code CLIENT_EXCEPTION}. */
  static String slotName(int slot) {
    return slot == ERROR_SLOTS - 1 ? "CLIENT_EXCEPTION" : Status.Code.values()[slot].name();
  }
}
