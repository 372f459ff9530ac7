package com.bacefook.store.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine;

/** Weighted choice of operations, parsed from {@code put=50,get=50} (weights need not add up to 100). */
final class OpMix {
  private final Map<Op, Integer> weights;
  private final Op[] table;
  private final int[] cumulative;

  private OpMix(Map<Op, Integer> weights) {
    this.weights = Collections.unmodifiableMap(new EnumMap<>(weights));
    List<Op> ops = new ArrayList<>();
    List<Integer> bounds = new ArrayList<>();
    int sum = 0;
    for (Map.Entry<Op, Integer> e : weights.entrySet()) {
      sum += e.getValue();
      ops.add(e.getKey());
      bounds.add(sum);
    }
    this.table = ops.toArray(Op[]::new);
    this.cumulative = bounds.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Parses {@code op=weight,...} with ops get, put, append, delete.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static OpMix parse(String text) {
    Map<Op, Integer> weights = new EnumMap<>(Op.class);
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=");
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "bad mix entry '" + part + "': expected op=weight, such as put=50,get=50");
      }
      Op op;
      try {
        op = Op.valueOf(kv[0].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown operation '" + kv[0] + "' in the mix: use get, put, append or delete");
      }
      int weight;
      try {
        weight = Integer.parseInt(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("weight of " + op.label() + " is not a whole number: " + kv[1]);
      }
      if (weight < 0 || weight > 1_000_000) {
        throw new IllegalArgumentException("weight of " + op.label() + " must lie in [0, 1000000]");
      }
      if (weight > 0) {
        weights.merge(op, weight, Integer::sum);
      }
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("the mix '" + text + "' has no operation with a weight above 0");
    }
    return new OpMix(weights);
  }

  /** Returns one operation drawn by weight. */
  Op pick(SplittableRandom random) {
    if (table.length == 1) {
      return table[0];
    }
    int r = random.nextInt(cumulative[cumulative.length - 1]);
    for (int i = 0; i < cumulative.length; i++) {
      if (r < cumulative[i]) {
        return table[i];
      }
    }
    return table[table.length - 1];
  }

  /** Returns the operations with a weight above 0 and their weights. */
  Map<Op, Integer> weights() {
    return weights;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    weights.forEach((op, w) -> text.append(text.length() == 0 ? "" : ",").append(op.label()).append('=').append(w));
    return text.toString();
  }

  /** Picocli converter. */
  static final class Converter implements CommandLine.ITypeConverter<OpMix> {
    @Override
    public OpMix convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
