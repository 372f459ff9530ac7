package com.bacefook.store.testkit.history;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Puts into words why a key's history is not linearizable, from where the search got furthest. */
final class Explanation {
  private static final int PREFIX_SHOWN = 8;

  private final String key;
  private final Operation[] ops;
  private final long base;

  Explanation(String key, Operation[] ops) {
    this.key = key;
    this.ops = ops;
    long first = Long.MAX_VALUE;
    for (Operation op : ops) {
      first = Math.min(first, op.invokeNanos());
    }
    this.base = first;
  }

  /**
   * Returns the violation seen from the longest explainable {@code order}: the state it leaves ({@code
   * state}, as the search kept it), the {@code candidates} that could go next, and the operation whose
   * return bounds them ({@code blocking}, or -1).
   */
  Violation violation(List<Integer> order, String state, int[] candidates, int blocking) {
    Set<Operation> involved = new LinkedHashSet<>();
    StringBuilder text = new StringBuilder();
    text.append(key).append(" is not linearizable (").append(ops.length).append(" operations):\n");
    if (blocking >= 0) {
      text.append("  ").append(ops[blocking].describe(base))
          .append("\n    must take effect before it returns, but no order of the operations"
              + " invoked by then explains the answers\n");
    }
    text.append("  longest explainable order: ").append(order.size()).append(" operations");
    int skip = Math.max(0, order.size() - PREFIX_SHOWN);
    if (skip > 0) {
      text.append(", the last ").append(PREFIX_SHOWN);
    }
    text.append(":\n");
    for (int op : order.subList(skip, order.size())) {
      text.append("    ").append(ops[op].describe(base)).append('\n');
      involved.add(ops[op]);
    }
    text.append("  leaving the key ").append(Operation.quote(replay(order))).append('\n');
    text.append("  operations that could go next, none leading to a full explanation:\n");
    for (int op : candidates) {
      boolean legal = RegisterModel.step(state, ops[op]) != RegisterModel.ILLEGAL;
      text.append("    ").append(ops[op].describe(base))
          .append(legal ? "  (possible here, dead end later)" : "  (impossible here)").append('\n');
      involved.add(ops[op]);
    }
    if (blocking >= 0) {
      involved.add(ops[blocking]);
    }
    return new Violation(key, text.toString(), new ArrayList<>(involved));
  }

  /**
   * Returns the value the operations leave when applied in {@code order}; the search itself keeps only
   * values that some pending read can still see.
   */
  private String replay(List<Integer> order) {
    String state = RegisterModel.ABSENT;
    for (int op : order) {
      String next = RegisterModel.step(state, ops[op]);
      state = next == RegisterModel.ILLEGAL ? state : next;
    }
    return state;
  }
}
