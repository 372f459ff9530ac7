package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdSetTest {
  @Test
  void setAlgebraAndCompactRanges() {
    IdSet a = IdSet.of(List.of(new ShardRange(0, 10), new ShardRange(20, 30)));
    IdSet b = IdSet.of(List.of(new ShardRange(5, 25)));
    assertThat(a.minus(b).ranges()).containsExactly(new ShardRange(0, 4), new ShardRange(26, 30));
    assertThat(a.intersection(b).ranges())
        .containsExactly(new ShardRange(5, 10), new ShardRange(20, 25));
    assertThat(a.union(b).ranges()).containsExactly(new ShardRange(0, 30));
    assertThat(a.size()).isEqualTo(22);
    assertThat(a.contains(10)).isTrue();
    assertThat(a.contains(11)).isFalse();
    assertThat(IdSet.EMPTY.isEmpty()).isTrue();
    assertThat(IdSet.of(List.of(ShardRange.ALL)).ranges()).containsExactly(ShardRange.ALL);
  }
}
