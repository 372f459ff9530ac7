package com.bacefook.store.shardmaster;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link ConfigurationRules} over random sequences of Join, Leave and Move, servers from
 * a small pool (so joins repeat and leaves name strangers) and ranges as the wire carries them
 * ({@code uint32}, so many are invalid): while any server exists each ID has exactly one owner; refused
 * changes throw {@link RejectedChangeException} (or fail range validation) and change nothing; each
 * accepted change adds exactly one to the number; Join and Leave leave a balanced layout in join order;
 * Move gives exactly its range and no other ID changes owner; the same changes give the same result.
 *
 * <p>Inputs come from a seed that is random per run unless {@code -Dproperty.seed=N} fixes it; a
 * failure is shrunk to the shortest failing prefix with steps dropped, and names the seed.
 */
class ConfigurationRulesPropertyTest {
  private static final List<String> POOL = List.of("a:1", "b:2", "c:3", "d:4", "e:5", "f:6");
  private static final List<String> ODD_NAMES = List.of("", " a:1", "a:1 ", "A:1", "zz:9");
  private static final int[] ODD_BOUNDS = {
    0, 1, 999, 1000, 1001, -1, Integer.MIN_VALUE, Integer.MAX_VALUE
  };
  private static final int SEQUENCES = 600;
  private static final int MAX_STEPS = 60;

  /** One change as it arrives at the shardmaster. */
  private sealed interface Change permits Join, Leave, Move {}

  /** Join {@code server}. */
  private record Join(String server) implements Change {}

  /** Leave {@code servers}, all or none. */
  private record Leave(List<String> servers) implements Change {}

  /** Move the wire range {@code [lower, upper]} (unsigned 32-bit values) to {@code server}. */
  private record Move(String server, int lower, int upper) implements Change {
    @Override
    public String toString() {
      return "Move[" + server + ", " + Integer.toUnsignedString(lower) + ".."
          + Integer.toUnsignedString(upper) + "]";
    }
  }

  @Test
  void randomChangesKeepAnExactBalancedPartition() {
    long seed = seed();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < SEQUENCES; i++) {
      List<Change> changes = changes(random);
      AssertionError failure = check(changes);
      if (failure != null) {
        List<Change> shortest = shrink(changes);
        throw new AssertionError(
            "sequence " + i + " fails (replay with -Dproperty.seed=" + seed + "); shortest failing: "
                + shortest,
            check(shortest));
      }
    }
  }

  @Test
  void balancedSplitsTheKeySpaceForAnyNumberOfServers() {
    for (int count : new int[] {0, 1, 2, 3, 7, 333, 500, 501, 1000, 1001, 1002, 1100}) {
      List<String> servers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        servers.add("s" + i + ":1");
      }
      Configuration config = new Configuration(1, ConfigurationRules.balanced(servers));
      assertBalanced(config, servers);
      assertPartition(config);
    }
  }

  /** Runs {@code changes} from the empty configuration, checking every step; null if all hold. */
  private static AssertionError check(List<Change> changes) {
    try {
      Configuration config = Configuration.EMPTY;
      Configuration replay = Configuration.EMPTY;
      List<String> joinOrder = new ArrayList<>();
      for (Change change : changes) {
        boolean expectAccepted = accepts(config, change);
        Optional<Configuration> next = apply(config, change);
        assertThat(next.isPresent()).as("%s accepted on %s", change, config).isEqualTo(expectAccepted);
        replay = apply(replay, change).orElse(replay);
        if (next.isEmpty()) {
          assertThat(replay).as("replay after refused %s", change).isEqualTo(config);
          continue;
        }
        Configuration after = next.get();
        assertThat(after.number()).as("number after %s", change).isEqualTo(config.number() + 1);
        if (change instanceof Join join) {
          joinOrder.add(join.server());
          assertBalanced(after, joinOrder);
        } else if (change instanceof Leave leave) {
          joinOrder.removeAll(leave.servers());
          assertBalanced(after, joinOrder);
        } else {
          assertMoved(config, after, (Move) change);
        }
        assertThat(after.serverNames()).as("join order after %s", change).isEqualTo(joinOrder);
        assertPartition(after);
        assertThat(replay).as("the same changes again").isEqualTo(after);
        config = after;
      }
      return null;
    } catch (AssertionError e) {
      return e;
    } catch (RuntimeException e) {
      return new AssertionError("unexpected " + e, e);
    }
  }

  /** Drops steps from the end and then one at a time while the sequence still fails. */
  private static List<Change> shrink(List<Change> changes) {
    List<Change> current = new ArrayList<>(changes);
    while (current.size() > 1 && check(current.subList(0, current.size() - 1)) != null) {
      current.remove(current.size() - 1);
    }
    for (int i = current.size() - 2; i >= 0; i--) {
      List<Change> candidate = new ArrayList<>(current);
      candidate.remove(i);
      if (check(candidate) != null) {
        current = candidate;
      }
    }
    return current;
  }

  /** What the README says: duplicate joins, unknown servers and bad ranges are refused. */
  private static boolean accepts(Configuration config, Change change) {
    if (change instanceof Join join) {
      return !config.contains(join.server());
    }
    if (change instanceof Leave leave) {
      return !leave.servers().isEmpty() && leave.servers().stream().allMatch(config::contains);
    }
    Move move = (Move) change;
    return config.contains(move.server())
        && Integer.toUnsignedLong(move.lower()) <= Integer.toUnsignedLong(move.upper())
        && Integer.toUnsignedLong(move.upper()) <= KeyId.MAX;
  }

  /**
   * Applies {@code change} as the shardmaster does (wire bounds through {@link ShardRange#validated});
   * empty if refused. Any other exception fails the property.
   */
  private static Optional<Configuration> apply(Configuration config, Change change) {
    try {
      if (change instanceof Join join) {
        return Optional.of(ConfigurationRules.join(config, join.server()));
      }
      if (change instanceof Leave leave) {
        return Optional.of(ConfigurationRules.leave(config, leave.servers()));
      }
      Move move = (Move) change;
      ShardRange range =
          ShardRange.validated(
              Integer.toUnsignedLong(move.lower()), Integer.toUnsignedLong(move.upper()));
      return Optional.of(ConfigurationRules.move(config, move.server(), range));
    } catch (RejectedChangeException e) {
      assertThat(e.getMessage()).isNotBlank();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      assertThat(change).as("only a bad range may fail validation: %s", e.getMessage())
          .isInstanceOf(Move.class);
      return Optional.empty();
    }
  }

  /** While any server exists each ID has exactly one owner; with none, no ID has an owner. */
  private static void assertPartition(Configuration config) {
    int[] owners = new int[KeyId.COUNT];
    for (ServerRanges entry : config.servers()) {
      for (ShardRange range : entry.ranges()) {
        for (int id = range.lower(); id <= range.upper(); id++) {
          owners[id]++;
        }
      }
    }
    int expected = config.servers().isEmpty() ? 0 : 1;
    for (int id = KeyId.MIN; id <= KeyId.MAX; id++) {
      if (owners[id] != expected || config.ownerOf(id).isPresent() != (expected == 1)) {
        throw new AssertionError(
            "ID " + id + " has " + owners[id] + " owners (ownerOf: " + config.ownerOf(id)
                + "), expected " + expected + ", in " + config);
      }
    }
  }

  /**
   * Servers in {@code order}, each with one contiguous range right after the previous one (none once
   * the IDs run out), sizes differing by at most one, the larger ones first.
   */
  private static void assertBalanced(Configuration config, List<String> order) {
    assertThat(config.serverNames()).isEqualTo(order);
    int next = KeyId.MIN;
    int previousSize = Integer.MAX_VALUE;
    int smallest = Integer.MAX_VALUE;
    int largest = 0;
    for (ServerRanges entry : config.servers()) {
      int size = 0;
      if (!entry.ranges().isEmpty()) {
        assertThat(entry.ranges()).as("ranges of %s", entry.server()).hasSize(1);
        ShardRange range = entry.ranges().get(0);
        assertThat(range.lower()).as("start of %s", entry).isEqualTo(next);
        size = range.size();
        next = range.upper() + 1;
      }
      assertThat(size).as("size of %s after one of size %s", entry, previousSize)
          .isLessThanOrEqualTo(previousSize);
      previousSize = size;
      smallest = Math.min(smallest, size);
      largest = Math.max(largest, size);
    }
    if (!order.isEmpty()) {
      assertThat(next).as("end of the last range in %s", config).isEqualTo(KeyId.MAX + 1);
      assertThat(largest - smallest).as("spread of sizes in %s", config).isLessThanOrEqualTo(1);
    }
  }

  /** {@code move.server()} owns exactly the range afterwards; every other ID keeps its owner. */
  private static void assertMoved(Configuration before, Configuration after, Move move) {
    ShardRange range = new ShardRange(move.lower(), move.upper());
    assertThat(after.serverNames()).isEqualTo(before.serverNames());
    assertThat(after.rangesOf(move.server())).contains(range);
    for (int id = KeyId.MIN; id <= KeyId.MAX; id++) {
      Optional<String> expected = range.contains(id) ? Optional.of(move.server()) : before.ownerOf(id);
      if (!after.ownerOf(id).equals(expected)) {
        throw new AssertionError(
            "owner of " + id + " after " + move + " is " + after.ownerOf(id) + ", expected " + expected);
      }
    }
  }

  private static List<Change> changes(SplittableRandom random) {
    List<Change> changes = new ArrayList<>();
    int steps = random.nextInt(MAX_STEPS + 1);
    for (int i = 0; i < steps; i++) {
      int kind = random.nextInt(10);
      if (kind < 4) {
        changes.add(new Join(server(random)));
      } else if (kind < 6) {
        List<String> leaving = new ArrayList<>();
        int count = random.nextInt(4);
        for (int j = 0; j < count; j++) {
          leaving.add(server(random));
        }
        changes.add(new Leave(leaving));
      } else {
        changes.add(new Move(server(random), bound(random), bound(random)));
      }
    }
    return changes;
  }

  private static String server(SplittableRandom random) {
    return random.nextInt(11) == 0
        ? ODD_NAMES.get(random.nextInt(ODD_NAMES.size()))
        : POOL.get(random.nextInt(POOL.size()));
  }

  /** A {@code uint32} as Java carries it: mostly a valid ID, sometimes an edge, or anything. */
  private static int bound(SplittableRandom random) {
    int kind = random.nextInt(15);
    if (kind < 12) {
      return random.nextInt(KeyId.COUNT);
    }
    return kind < 14 ? ODD_BOUNDS[random.nextInt(ODD_BOUNDS.length)] : random.nextInt();
  }

  private static long seed() {
    String fixed = System.getProperty("property.seed");
    return fixed == null || fixed.isBlank() ? new SplittableRandom().nextLong() : Long.parseLong(fixed);
  }
}
