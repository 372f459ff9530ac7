package com.bacefook.store.fuzz;

import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.sharding.InvalidKeyException;
import com.bacefook.store.sharding.KeyId;
import java.math.BigInteger;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The fuzzer's strings and numbers, all drawn from one {@link SplittableRandom}: keys (empty, unicode,
 * control characters, numbers past 2^64, near and far past every length limit, and valid ones), values,
 * users, server names and wire integers.
 *
 * <p>Nothing it returns as a key, user or post names a <em>sentinel</em> ID: any string whose ID (by
 * {@link KeyId#of} or by an independent reading of the README's rule) is a sentinel ID is defused by
 * turning its {@code _} into {@code -}, so no request it makes can validly touch sentinel data.
 */
final class FuzzInputs {
  /** Strings longer than this are "huge": they go over the servers' 8 MiB message limit or near it. */
  static final int HUGE = 1 << 20;

  private static final String[] ODD_NUMBERS = {
    "18446744073709551616", "18446744073709551615", "9223372036854775808", "4294967296",
    "4294967295", "2147483648", "1001", "-1", "-0", "+5", " 5", "0x10", "1e3", "\u0665", "\uFF15",
    "", "00000000000000000000000000000000000005", "99999999999999999999999999999999999999999"
  };
  private static final String[] PREFIXES = {"user", "post", "x", "\u0436", "\uD83D\uDE00", "", "all"};
  private static final String[] SUFFIXES = {"", "", "", "_posts", "_", "_x", "\u0000", "\n", "_\uD800"};
  private static final String[] SERVER_JUNK = {
    "", " ", ":", "host", "host:", ":80", "host:0", "host:65536", "host:99999", "host:-1",
    "host:+80", "[::1", "[::1]", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "a b:1", "h\u0000st:1",
    "host:80:90", "http://host:80", "\u0436:x", "host:\u0665"
  };

  private final SplittableRandom random;
  private final Set<Integer> sentinelIds;
  private final List<String> servers;

  FuzzInputs(SplittableRandom random, Set<Integer> sentinelIds, List<String> servers) {
    this.random = random;
    this.sentinelIds = sentinelIds;
    this.servers = servers;
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  boolean chance(int oneIn) {
    return random.nextInt(oneIn) == 0;
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** A real server's name. */
  String server() {
    return pick(servers);
  }

  /** A key for a key operation; one in {@code hugeOneIn} is huge. */
  String key(int hugeOneIn) {
    if (chance(hugeOneIn)) {
      return defused(huge());
    }
    return defused(
        switch (random.nextInt(20)) {
          case 0, 1, 2, 3, 4, 5, 6 -> validKey();
          case 7 -> "all_users";
          case 8, 9 -> text(40);
          case 10 -> "";
          case 11, 12, 13 -> pickOf(PREFIXES) + "_" + number() + pickOf(SUFFIXES);
          case 14 -> lengthEdge();
          default -> pickOf(PREFIXES) + "_" + text(6) + pickOf(SUFFIXES);
        });
  }

  /** A key that {@link KeyId#of} accepts, with an ID that is not a sentinel's. */
  String validKey() {
    int id = nonSentinelId();
    return switch (random.nextInt(6)) {
      case 0, 1 -> "user_" + id;
      case 2, 3 -> "post_" + id;
      case 4 -> "user_" + id + "_posts";
      default -> pickOf(PREFIXES) + "_" + "0".repeat(random.nextInt(3)) + id + pickOf(SUFFIXES);
    };
  }

  /** A {@code PutRequest.user}: mostly empty or a user, else junk. */
  String user() {
    return defused(
        switch (random.nextInt(10)) {
          case 0, 1, 2, 3 -> "";
          case 4, 5, 6 -> "user_" + nonSentinelId();
          case 7 -> "user_" + number();
          case 8 -> "post_" + nonSentinelId();
          default -> text(20);
        });
  }

  /** A post for {@code UpdatePostList}: mostly well-formed, sometimes with an ID out of range. */
  String post() {
    return defused(
        switch (random.nextInt(6)) {
          case 0, 1, 2 -> "post_" + nonSentinelId();
          case 3 -> "post_" + number();
          case 4 -> "user_" + nonSentinelId();
          default -> text(12);
        });
  }

  /** A value: short text, a comma-terminated list of keys, something large, or rarely huge. */
  String value(int hugeOneIn) {
    if (chance(hugeOneIn)) {
      return huge();
    }
    return switch (random.nextInt(12)) {
      case 0 -> "";
      case 1, 2 -> validKey() + "," + validKey() + "," + text(6) + ",";
      case 3 -> text(64 * 1024);
      default -> text(30);
    };
  }

  /**
   * A server name for Join that the shardmaster must refuse: malformed (checked with {@link
   * Addresses#parse}), or a member's name, possibly with blanks around it.
   */
  String joinName(int hugeOneIn, Set<String> members) {
    if (chance(hugeOneIn)) {
      return huge();
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      String name =
          switch (random.nextInt(8)) {
            case 0, 1 -> pickOf(SERVER_JUNK);
            case 2 -> text(30);
            case 3 -> pick(servers);
            case 4 -> " " + pick(servers) + "\t";
            case 5 -> lengthEdge();
            default -> text(8) + ":" + number();
          };
      if (!parses(name) || members.contains(name.strip())) {
        return name;
      }
    }
    return "not an address";
  }

  /** A list for Leave that names at least one server that is not a member, so it is refused. */
  List<String> leaveNames(int hugeOneIn, Set<String> members) {
    int count = random.nextInt(4);
    String[] names = new String[count + 1];
    for (int i = 0; i < count; i++) {
      names[i] = random.nextBoolean() ? pick(List.copyOf(members)) : joinName(hugeOneIn, members);
    }
    String stranger;
    do {
      stranger = random.nextInt(3) == 0 ? "" : joinName(1_000_000, members);
    } while (members.contains(stranger));
    names[count] = stranger;
    for (int i = count; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String swap = names[i];
      names[i] = names[j];
      names[j] = swap;
    }
    return List.of(names);
  }

  /** A server name for Move: a member mostly (so the range decides), else junk. */
  String moveName(Set<String> members) {
    return random.nextInt(3) == 0 ? joinName(1_000_000, members) : pick(List.copyOf(members));
  }

  /** A {@code uint32} as Java carries it: a valid ID, an edge, or anything. */
  int bound() {
    return switch (random.nextInt(8)) {
      case 0, 1, 2, 3 -> random.nextInt(KeyId.COUNT);
      case 4 -> new int[] {0, 1000, 1001, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}[random.nextInt(6)];
      default -> random.nextInt();
    };
  }

  /** A {@code uint64} configuration number: small, near {@code latest}, or anything. */
  long configNumber(long latest) {
    return switch (random.nextInt(5)) {
      case 0, 1 -> Math.max(0, latest - 2 + random.nextInt(5));
      case 2 -> random.nextInt(3);
      case 3 -> -1 - random.nextInt(3);
      default -> random.nextLong();
    };
  }

  /** Any UTF-16 string up to {@code maxLength} units: every class of character, surrogate halves too. */
  String text(int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder out = new StringBuilder(length);
    while (out.length() < length) {
      switch (random.nextInt(10)) {
        case 0, 1 -> out.append((char) (0x20 + random.nextInt(0x5f)));
        case 2 -> out.append('_');
        case 3 -> out.append((char) ('0' + random.nextInt(10)));
        case 4 -> out.append((char) random.nextInt(0x20));
        case 5 -> out.append((char) (0x7f + random.nextInt(0x81)));
        case 6 -> out.append((char) random.nextInt(0x10000));
        case 7 -> out.append((char) (0xD800 + random.nextInt(0x800)));
        case 8 -> out.appendCodePoint(0x10000 + random.nextInt(0x100000));
        default -> out.append(',');
      }
    }
    return out.toString();
  }

  /**
   * Whether gRPC's client sends {@code value} as an ASCII header at all: it drops one whose value has
   * a control character (below 0x20, or 0x7F) and sends any other character outside ASCII as '?'.
   */
  static boolean sentAsHeader(String value) {
    return value.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  /** An ASCII-printable string, as gRPC metadata needs. */
  String ascii(int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) (0x20 + random.nextInt(0x5f)));
    }
    return out.toString();
  }

  /** Strings around the 1024-character key limit, in 1-, 2- and 3-byte UTF-8 characters. */
  private String lengthEdge() {
    int length = KeyId.MAX_KEY_LENGTH - 4 + random.nextInt(9);
    char filler = "x\u0436\u4E2D_0".charAt(random.nextInt(5));
    String core = random.nextBoolean() ? "user_" + nonSentinelId() + "_" : "";
    return core + String.valueOf(filler).repeat(Math.max(0, length - core.length()));
  }

  /** Between 1 MiB and about 9.5 MiB of one character, over or under the 8 MiB limit. */
  private String huge() {
    int length = HUGE + random.nextInt(17 * HUGE / 2);
    char filler = "x_\u00e9,".charAt(random.nextInt(4));
    return "user_" + nonSentinelId() + "_" + String.valueOf(filler).repeat(length);
  }

  private String number() {
    return switch (random.nextInt(4)) {
      case 0 -> pickOf(ODD_NUMBERS);
      case 1 -> new BigInteger(1 + random.nextInt(100), new Random(random.nextLong())).toString();
      case 2 -> Integer.toString(KeyId.COUNT + random.nextInt(100_000));
      default -> Integer.toString(nonSentinelId());
    };
  }

  private int nonSentinelId() {
    int id;
    do {
      id = random.nextInt(KeyId.COUNT);
    } while (sentinelIds.contains(id));
    return id;
  }

  private String pickOf(String[] items) {
    return items[random.nextInt(items.length)];
  }

  /** Returns {@code s}, or {@code s} made invalid if it could name a sentinel ID. */
  String defused(String s) {
    return touchesSentinel(s) ? s.replace('_', '-') : s;
  }

  private boolean touchesSentinel(String s) {
    OptionalInt id = idOf(s);
    if (id.isPresent() && sentinelIds.contains(id.getAsInt())) {
      return true;
    }
    try {
      return sentinelIds.contains(KeyId.of(s));
    } catch (InvalidKeyException e) {
      return false;
    }
  }

  /** The README's rule, read independently of {@link KeyId}: the digits after the first {@code _}. */
  static OptionalInt idOf(String key) {
    if (key.isEmpty() || key.length() > KeyId.MAX_KEY_LENGTH) {
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
    return value.compareTo(BigInteger.valueOf(KeyId.MAX)) > 0
        ? OptionalInt.empty()
        : OptionalInt.of(value.intValueExact());
  }

  private static boolean parses(String name) {
    try {
      Addresses.parse(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
