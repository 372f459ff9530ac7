package com.bacefook.store.sharding;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property over many generated inputs. The inputs come from one seed, random per run unless
 * {@code -Dproperty.seed=N} fixes it; a failure names the seed, the case and the input, so it can be
 * replayed exactly.
 */
final class SeededCases {
  /** The system property that fixes the seed. */
  static final String SEED_PROPERTY = "property.seed";

  private static final int SHOWN_CHARS = 160;

  private SeededCases() {}

  /** Checks {@code property} on {@code tries} inputs made by {@code generator}. */
  static <T> void forAll(int tries, Function<SplittableRandom, T> generator, Consumer<T> property) {
    long seed = seed();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < tries; i++) {
      T input = generator.apply(random);
      try {
        property.accept(input);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "property failed on case " + i + " of " + tries + " with input " + describe(input)
                + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")",
            e);
      }
    }
  }

  private static long seed() {
    String fixed = System.getProperty(SEED_PROPERTY);
    return fixed == null || fixed.isBlank() ? new SplittableRandom().nextLong() : Long.parseLong(fixed);
  }

  /** Shows strings with escapes for anything unprintable, cut short if long, with their length. */
  static String describe(Object input) {
    if (!(input instanceof String s)) {
      return String.valueOf(input);
    }
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < Math.min(s.length(), SHOWN_CHARS); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    out.append(s.length() > SHOWN_CHARS ? "...\"" : "\"");
    return out.append(" (").append(s.length()).append(" chars)").toString();
  }
}
