package com.bacefook.store.testkit.history;

import com.bacefook.store.testkit.history.KeyResult.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The search for one key, after Wing and Gong as improved by Lowe and Porcupine: the invoke and return
 * events, in time order, form a linked list; an operation may be linearized next if its invocation comes
 * before every pending return. Linearizing one lifts its events out of the list; a dead end puts them
 * back. Configurations already explored are not explored again ({@link SearchCache}). Operations with
 * an unknown outcome have no return event: they may be linearized anywhere after their invocation, or
 * never.
 *
 * <p>Two reductions keep the search small. A read (or a delete that found nothing) that is possible
 * now is linearized next without trying the alternatives ({@link #isObserver}). And values no read
 * still to be linearized can return are all one state ({@link PendingReads}).
 */
final class KeySearch {
  private final String key;
  /** Known outcomes first, then unknown ones; each group in invocation order. */
  private final Operation[] ops;
  private final int completed;
  private final long budget;
  private final Event[] calls;
  /** The reads not linearized yet. */
  private final PendingReads readers;
  private final Event head = new Event(-1, true, Long.MIN_VALUE);

  private Node deepest;

  KeySearch(String key, List<Operation> history, long budget) {
    this.key = key;
    this.budget = budget;
    List<Operation> sorted = new ArrayList<>(history);
    sorted.sort(
        Comparator.comparing(Operation::isUnknown).thenComparingLong(Operation::invokeNanos));
    this.ops = sorted.toArray(new Operation[0]);
    int known = 0;
    while (known < ops.length && !ops[known].isUnknown()) {
      known++;
    }
    this.completed = known;
    this.readers = new PendingReads(ops, completed);
    this.calls = new Event[ops.length];
    link();
  }

  KeyResult run() {
    BitSet linearized = new BitSet(ops.length);
    SearchCache cache = new SearchCache(ops, completed, readers);
    Node node = new Node(null, -1, RegisterModel.ABSENT);
    node.candidates = candidates(node);
    int done = 0;
    long steps = 0;
    while (done < completed) {
      if (node.cursor == node.candidates.length) {
        if (deepest == null || node.depth > deepest.depth) {
          deepest = node;
        }
        if (node.parent == null) {
          return new KeyResult(key, Verdict.VIOLATION, ops.length, steps, Optional.of(violation()));
        }
        unlift(calls[node.op]);
        linearized.clear(node.op);
        readers.untake(node.op);
        done -= node.op < completed ? 1 : 0;
        node = node.parent;
        continue;
      }
      if (++steps > budget) {
        return new KeyResult(key, Verdict.UNDECIDED, ops.length, steps, Optional.empty());
      }
      int op = node.candidates[node.cursor++];
      String raw = RegisterModel.step(node.state, ops[op]);
      if (raw == RegisterModel.ILLEGAL) {
        continue;
      }
      readers.take(op);
      String next = readers.canonical(raw);
      if (next == RegisterModel.UNREADABLE && node.state != RegisterModel.ABSENT && op >= completed) {
        // Gains nothing over leaving the unknown operation out: see PendingReads.
        readers.untake(op);
        continue;
      }
      linearized.set(op);
      if (!cache.visit(linearized, next)) {
        linearized.clear(op);
        readers.untake(op);
        continue;
      }
      lift(calls[op]);
      done += op < completed ? 1 : 0;
      node = new Node(node, op, next);
      node.candidates = candidates(node);
    }
    return new KeyResult(key, Verdict.LINEARIZABLE, ops.length, steps, Optional.empty());
  }

  /**
   * Returns the operations that may be linearized next and notes in {@code node} the pending operation
   * whose return bounds them. If one of them is a possible read, returns only that one ({@link
   * #isObserver}). Otherwise returns those with known outcomes in invocation order, then the unknown
   * ones: leaving those out first finds the configurations that dominate the others (see {@link
   * SearchCache}). Unknown operations that are interchangeable, deletes and ghosts ({@link
   * PendingReads}), are tried once.
   */
  private int[] candidates(Node node) {
    int known = 0;
    int unknown = 0;
    Event event = head.next;
    while (event != null && event.call) {
      Operation op = ops[event.op];
      if (isObserver(op) && RegisterModel.step(node.state, op) != RegisterModel.ILLEGAL) {
        node.blocking = firstReturn(event);
        return new int[] {event.op};
      }
      if (event.op < completed) {
        known++;
      } else {
        unknown++;
      }
      event = event.next;
    }
    node.blocking = event == null ? -1 : event.op;
    int[] result = new int[known + unknown];
    int front = 0;
    int back = known;
    boolean ghostSeen = false;
    boolean deleteSeen = false;
    for (Event candidate = head.next; candidate != event; candidate = candidate.next) {
      int op = candidate.op;
      if (op < completed) {
        result[front++] = op;
      } else if (ops[op].kind() == Operation.Kind.DELETE) {
        if (!deleteSeen) {
          result[back++] = op;
          deleteSeen = true;
        }
      } else if (readers.isGhost(op)) {
        // Ghosts all lead to UNREADABLE, which from a present state gains nothing (see run).
        if (!ghostSeen && node.state == RegisterModel.ABSENT) {
          result[back++] = op;
          ghostSeen = true;
        }
      } else {
        result[back++] = op;
      }
    }
    return back == result.length ? result : Arrays.copyOf(result, back);
  }

  private static int firstReturn(Event from) {
    Event event = from;
    while (event != null && event.call) {
      event = event.next;
    }
    return event == null ? -1 : event.op;
  }

  /**
   * Returns whether {@code op} never changes the state: a read, or a delete that found nothing. One that
   * is possible now can go next without loss: any order that puts it later stays valid with it moved
   * here, since it changes nothing and every pending operation was invoked before it returns.
   */
  private static boolean isObserver(Operation op) {
    return !op.isUnknown()
        && (op.kind() == Operation.Kind.GET
            || op.kind() == Operation.Kind.DELETE && op.outcome() == Operation.Outcome.NOT_FOUND);
  }

  private Violation violation() {
    List<Integer> order = new ArrayList<>();
    for (Node n = deepest; n.parent != null; n = n.parent) {
      order.add(n.op);
    }
    Collections.reverse(order);
    return new Explanation(key, ops).violation(order, deepest.state, deepest.candidates, deepest.blocking);
  }

  /** Builds the event list: invocations and returns in time order, an invocation first on a tie. */
  private void link() {
    List<Event> events = new ArrayList<>(2 * ops.length);
    for (int i = 0; i < ops.length; i++) {
      Event call = new Event(i, true, ops[i].invokeNanos());
      calls[i] = call;
      events.add(call);
      if (i < completed) {
        call.match = new Event(i, false, ops[i].returnNanos());
        events.add(call.match);
      }
    }
    events.sort(
        Comparator.comparingLong((Event e) -> e.time)
            .thenComparing(e -> !e.call)
            .thenComparingInt(e -> e.op));
    Event previous = head;
    for (Event event : events) {
      previous.next = event;
      event.prev = previous;
      previous = event;
    }
  }

  private static void lift(Event call) {
    remove(call);
    if (call.match != null) {
      remove(call.match);
    }
  }

  /** Undoes {@link #lift}; only valid in reverse order of the lifts. */
  private static void unlift(Event call) {
    if (call.match != null) {
      restore(call.match);
    }
    restore(call);
  }

  private static void remove(Event event) {
    event.prev.next = event.next;
    if (event.next != null) {
      event.next.prev = event.prev;
    }
  }

  private static void restore(Event event) {
    event.prev.next = event;
    if (event.next != null) {
      event.next.prev = event;
    }
  }

  /** An invocation or return in the event list. */
  private static final class Event {
    final int op;
    final boolean call;
    final long time;
    Event match;
    Event prev;
    Event next;

    Event(int op, boolean call, long time) {
      this.op = op;
      this.call = call;
      this.time = time;
    }
  }

  /** A point of the search: the operations linearized so far (up the parents) and the state. */
  private static final class Node {
    final Node parent;
    final int op;
    final String state;
    final int depth;
    int[] candidates;
    int cursor;
    int blocking;

    Node(Node parent, int op, String state) {
      this.parent = parent;
      this.op = op;
      this.state = state;
      this.depth = parent == null ? 0 : parent.depth + 1;
    }
  }
}
