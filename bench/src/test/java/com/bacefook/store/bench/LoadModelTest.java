package com.bacefook.store.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.KeyId;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pure parts of the load: mixes, key spaces, ID distributions, durations, byte counts. */
class LoadModelTest {
  @Test
  void mixIsParsedAndDrawnByWeight() {
    OpMix mix = OpMix.parse("put=25, get=75");
    assertThat(mix.weights()).containsExactly(Map.entry(Op.GET, 75), Map.entry(Op.PUT, 25));
    SplittableRandom random = new SplittableRandom(1);
    Map<Op, Integer> drawn = new HashMap<>();
    for (int i = 0; i < 40_000; i++) {
      drawn.merge(mix.pick(random), 1, Integer::sum);
    }
    assertThat(drawn.get(Op.GET) / 40_000.0).isBetween(0.73, 0.77);
    assertThat(mix.toString()).isEqualTo("get=75,put=25");
  }

  @Test
  void badMixesSayWhatIsWrong() {
    assertThatThrownBy(() -> OpMix.parse("put=50,fly=50")).hasMessageContaining("unknown operation 'fly'");
    assertThatThrownBy(() -> OpMix.parse("put=0")).hasMessageContaining("no operation");
    assertThatThrownBy(() -> OpMix.parse("put")).hasMessageContaining("op=weight");
  }

  @Test
  void keySpaceSpreadsKeysOverTheIdsAndPicksOnlyExistingKeys() {
    KeySpace space = new KeySpace(KeyForm.GENERIC, "k", 2_500, IdDistribution.over(IdDistribution.Kind.UNIFORM, 0, 1));
    assertThat(space.keyAt(0)).isEqualTo("k_0_0");
    assertThat(space.keyAt(1001)).isEqualTo("k_0_1");
    assertThat(space.keyAt(2_499)).isEqualTo("k_497_2");
    assertThat(space.keysWithId(497)).isEqualTo(3);
    assertThat(space.keysWithId(498)).isEqualTo(2);
    Set<String> all = new HashSet<>();
    for (long i = 0; i < space.size(); i++) {
      all.add(space.keyAt(i));
      assertThat(KeyId.of(space.keyAt(i))).isEqualTo((int) (i % KeyId.COUNT));
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      assertThat(all).contains(space.pick(random));
    }
  }

  @Test
  void userAndPostKeysHaveOneKeyPerId() {
    KeySpace users = new KeySpace(KeyForm.USER, "k", KeyId.COUNT, IdDistribution.over(IdDistribution.Kind.UNIFORM, 0, 1));
    assertThat(users.keyAt(17)).isEqualTo("user_17");
    assertThatThrownBy(() -> new KeySpace(KeyForm.POST, "k", 2_000, IdDistribution.over(IdDistribution.Kind.UNIFORM, 0, 1)))
        .hasMessageContaining("--key-form generic");
  }

  @Test
  void zipfianConcentratesOnFewIds() {
    IdDistribution zipf = IdDistribution.over(IdDistribution.Kind.ZIPFIAN, 0.99, 3);
    SplittableRandom random = new SplittableRandom(5);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      counts.merge(zipf.next(random), 1, Integer::sum);
    }
    int hottest = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertThat(hottest / 100_000.0).isCloseTo(zipf.hottestShare(), org.assertj.core.data.Offset.offset(0.01));
    assertThat(zipf.hottestShare()).isGreaterThan(0.1);
  }

  @Test
  void durationsReadTheWayPeopleWriteThem() {
    assertThat(DurationConverter.parse("3s")).isEqualTo(Duration.ofSeconds(3));
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("10")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void movedKeyBytesCountEveryDigit() {
    // m_7_0 .. m_7_11: 12 keys of "m_7_" (4 chars) plus 10 one-digit and 2 two-digit sequence numbers.
    assertThat(MigrateCommand.keyBytes(7, 12)).isEqualTo(12 * 4 + 10 + 2 * 2);
    long brute = 0;
    for (int seq = 0; seq < 1234; seq++) {
      brute += ("m_123_" + seq).length();
    }
    assertThat(MigrateCommand.keyBytes(123, 1234)).isEqualTo(brute);
  }

  @Test
  void tablesAlignColumns() {
    String table = new Tables("clients", "ops/s").row(1, "12,345").row(64, "9").render();
    assertThat(table).isEqualTo("clients   ops/s\n-------  ------\n1        12,345\n64            9\n");
    assertThat(Tables.millis(412)).isEqualTo("0.412");
    assertThat(Tables.millis(41_250)).isEqualTo("41.3");
  }
}
