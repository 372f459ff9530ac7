package com.bacefook.store.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The reads the search has not linearized yet, and what follows from them.
 *
 * <p>A value that none of those reads returned, nor any extension of it (an append keeps the value as a
 * prefix), can never be read again before it is overwritten or deleted: its content no longer matters,
 * only that the key is present. Such values are all the one state {@link RegisterModel#UNREADABLE}.
 *
 * <p>Likewise an unknown write is a <em>ghost</em> once no pending read can see what it wrote: a put
 * whose value no pending read starts with, an append whose text no pending read contains. A ghost leads
 * to {@code UNREADABLE} from any state, and stays a ghost deeper in the search, since reads only stop
 * being pending there.
 */
final class PendingReads {
  private final Operation[] ops;
  private final int completed;
  private final TreeMap<String, Integer> pending = new TreeMap<>();
  /** For each unknown put or append: how many pending reads could see what it wrote. */
  private final int[] watchers;
  /** For each read: the unknown writes it could see. */
  private final int[][] watched;

  /** Starts with every read of {@code ops} pending; {@code [completed, length)} are the unknown ones. */
  PendingReads(Operation[] ops, int completed) {
    this.ops = ops;
    this.completed = completed;
    this.watchers = new int[ops.length - completed];
    this.watched = new int[completed][];
    for (int read = 0; read < completed; read++) {
      String value = ops[read].output();
      if (value == null) {
        continue;
      }
      pending.merge(value, 1, Integer::sum);
      List<Integer> seen = new ArrayList<>();
      for (int write = completed; write < ops.length; write++) {
        if (canSee(value, ops[write])) {
          seen.add(write);
          watchers[write - completed]++;
        }
      }
      watched[read] = seen.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static boolean canSee(String value, Operation write) {
    switch (write.kind()) {
      case PUT:
        return value.startsWith(write.input());
      case APPEND:
        return value.contains(write.input());
      default:
        return false;
    }
  }

  /** Notes that operation {@code op} is linearized: if it is a read, it is no longer pending. */
  void take(int op) {
    String value = ops[op].output();
    if (value == null || op >= completed) {
      return;
    }
    pending.merge(value, -1, (a, b) -> a + b == 0 ? null : a + b);
    for (int write : watched[op]) {
      watchers[write - completed]--;
    }
  }

  /** Undoes {@link #take}. */
  void untake(int op) {
    String value = ops[op].output();
    if (value == null || op >= completed) {
      return;
    }
    pending.merge(value, 1, Integer::sum);
    for (int write : watched[op]) {
      watchers[write - completed]++;
    }
  }

  /** Returns whether unknown operation {@code op} is a put or append no pending read can see. */
  boolean isGhost(int op) {
    Operation.Kind kind = ops[op].kind();
    return (kind == Operation.Kind.PUT || kind == Operation.Kind.APPEND)
        && watchers[op - completed] == 0;
  }

  /** Returns {@code state}, or {@link RegisterModel#UNREADABLE} if no pending read can see it. */
  String canonical(String state) {
    if (state == RegisterModel.ABSENT || RegisterModel.isMarker(state)) {
      return state;
    }
    String above = pending.ceilingKey(state);
    return above != null && above.startsWith(state) ? state : RegisterModel.UNREADABLE;
  }
}
