package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.OptionalInt;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link KeyId#of} on arbitrary strings (unicode, control characters, surrogate halves,
 * huge digit strings, numbers past 2^64, keys around the length limit): it returns the integer after
 * the first {@code _}, in {@code [0, 1000]}, exactly when a plain model of the README's rules accepts
 * the key, and otherwise throws {@link InvalidKeyException} and nothing else.
 */
class KeyIdPropertyTest {
  private static final BigInteger MAX = BigInteger.valueOf(KeyId.MAX);
  private static final String[] PREFIXES = {
    "user", "post", "", "all", "x", "\u0000", "\uD83D\uDE00", "\u0436\u0436", "USER", " user"
  };
  private static final String[] ODD_IDS = {
    "18446744073709551616", "18446744073709551615", "9223372036854775808", "9223372036854775807",
    "4294967296", "4294967295", "2147483648", "1001", "-1", "-0", "+5", " 5", "5 ", "0x10", "1e3",
    "1.0", "\u0665", "\uFF15", "\u00B2", "5\u0000", "\u0000", "", "0", "1000", "0001000", "00000000"
  };
  private static final String[] SUFFIXES = {"", "_posts", "_", "__", "_x_1", "\u0000", "\n", "\uD800"};

  /**
   * The model: the ASCII digits between the first {@code _} and the next {@code _} (or the end), read
   * as an unbounded integer that must lie in {@code [0, 1000]}; keys are non-empty and at most 1024
   * UTF-16 units long.
   */
  static OptionalInt modelIdOf(String key) {
    if (key == null || key.isEmpty() || key.length() > KeyId.MAX_KEY_LENGTH) {
      return OptionalInt.empty();
    }
    int underscore = key.indexOf('_');
    if (underscore < 0) {
      return OptionalInt.empty();
    }
    int end = key.indexOf('_', underscore + 1);
    String digits = key.substring(underscore + 1, end < 0 ? key.length() : end);
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.empty();
    }
    BigInteger value = new BigInteger(digits);
    return value.compareTo(MAX) > 0 ? OptionalInt.empty() : OptionalInt.of(value.intValueExact());
  }

  @Test
  void anyStringYieldsTheModelsIdOrAnInvalidKeyException() {
    SeededCases.forAll(50_000, KeyIdPropertyTest::key, KeyIdPropertyTest::agreesWithTheModel);
  }

  @Test
  void everyIdRoundTripsWithAnyPrefixLeadingZerosAndTail() {
    SeededCases.forAll(
        20_000,
        random -> {
          String prefix = randomString(random, 6).replace('_', 'u');
          int id = random.nextInt(KeyId.COUNT);
          int zeros = random.nextInt(4) == 0 ? random.nextInt(1_030) : random.nextInt(3);
          String tail = random.nextBoolean() ? "" : "_" + randomString(random, 8);
          return prefix + "_" + "0".repeat(zeros) + id + tail;
        },
        key -> {
          agreesWithTheModel(key);
          if (key.length() <= KeyId.MAX_KEY_LENGTH) {
            assertThat(KeyId.of(key)).isEqualTo(modelIdOf(key).getAsInt());
          }
        });
  }

  @Test
  void nullAndNumbersPastTwoToTheSixtyFourAreInvalid() {
    assertThatThrownBy(() -> KeyId.of(null)).isInstanceOf(InvalidKeyException.class);
    for (String digits :
        new String[] {"18446744073709551616", "9223372036854775808", "4294967296", "9".repeat(1_000)}) {
      assertThatThrownBy(() -> KeyId.of("user_" + digits))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessageContaining("out of range");
    }
  }

  private static void agreesWithTheModel(String key) {
    OptionalInt expected = modelIdOf(key);
    int id;
    try {
      id = KeyId.of(key);
    } catch (InvalidKeyException e) {
      assertThat(expected).as("the model's ID of a key KeyId.of rejected (%s)", e.getMessage()).isEmpty();
      assertThat(e.getMessage()).isNotBlank();
      return;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("KeyId.of threw " + e + " instead of InvalidKeyException", e);
    }
    assertThat(id).isBetween(KeyId.MIN, KeyId.MAX);
    assertThat(expected).as("the model's ID of a key KeyId.of accepted").hasValue(id);
  }

  /** A key: mostly {@code <prefix>_<id><suffix>} with hostile pieces, else any string at all. */
  static String key(SplittableRandom random) {
    return switch (random.nextInt(10)) {
      case 0, 1 -> randomString(random, 40);
      case 2 -> randomFrom(random, "_0123456789", 12);
      case 3 -> longKey(random);
      default ->
          pick(random, PREFIXES, () -> randomString(random, 8).replace('_', 'u'))
              + "_" + digits(random) + pick(random, SUFFIXES, () -> randomString(random, 8));
    };
  }

  private static String digits(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0, 1, 2 -> Integer.toString(random.nextInt(KeyId.COUNT));
      case 3 -> Integer.toString(KeyId.COUNT + random.nextInt(100_000));
      case 4 -> new BigInteger(1 + random.nextInt(90), new Random(random.nextLong())).toString();
      case 5 -> ODD_IDS[random.nextInt(ODD_IDS.length)];
      case 6 -> randomFrom(random, "0123456789-+ \u0660\u0669\uFF10\u0000", 1 + random.nextInt(25));
      default -> "0".repeat(random.nextInt(41)) + random.nextInt(KeyId.COUNT);
    };
  }

  /** Keys just under, at and over the 1024-character limit, and far over it. */
  private static String longKey(SplittableRandom random) {
    int length = KeyId.MAX_KEY_LENGTH - 8 + random.nextInt(17);
    if (random.nextInt(4) == 0) {
      length *= 64;
    }
    String core = "user_" + random.nextInt(KeyId.COUNT);
    char filler = "x_\u04360".charAt(random.nextInt(4));
    String pad = String.valueOf(filler).repeat(Math.max(0, length - core.length() - 1));
    return random.nextBoolean() ? pad.replace('_', 'y') + core.substring(4) : core + "_" + pad;
  }

  private static String pick(SplittableRandom random, String[] fixed, Supplier<String> other) {
    return random.nextInt(4) == 0 ? other.get() : fixed[random.nextInt(fixed.length)];
  }

  private static String randomFrom(SplittableRandom random, String alphabet, int maxLength) {
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /**
   * Any UTF-16 string up to {@code maxLength} units: printable ASCII, {@code _} and digits, control
   * characters, Latin-1, any BMP character, lone surrogate halves and astral pairs.
   */
  static String randomString(SplittableRandom random, int maxLength) {
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    while (out.length() < length) {
      switch (random.nextInt(9)) {
        case 0 -> out.append((char) (0x20 + random.nextInt(0x5f)));
        case 1 -> out.append('_');
        case 2 -> out.append((char) ('0' + random.nextInt(10)));
        case 3 -> out.append((char) random.nextInt(0x20));
        case 4 -> out.append((char) (0x7f + random.nextInt(0x81)));
        case 5 -> out.append((char) random.nextInt(0x10000));
        case 6 -> out.append((char) (0xD800 + random.nextInt(0x800)));
        case 7 -> out.appendCodePoint(0x10000 + random.nextInt(0x100000));
        default -> out.append("\u0660\u0665\uFF10\uFF15\u00B2\u2007".charAt(random.nextInt(6)));
      }
    }
    return out.toString();
  }
}
