package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShardRangeTest {
  @Test
  void containsAndOverlapsAreInclusive() {
    ShardRange range = new ShardRange(10, 20);
    assertThat(range.contains(10)).isTrue();
    assertThat(range.contains(20)).isTrue();
    assertThat(range.contains(21)).isFalse();
    assertThat(range.overlaps(new ShardRange(20, 30))).isTrue();
    assertThat(range.overlaps(new ShardRange(21, 30))).isFalse();
    assertThat(range.overlaps(new ShardRange(0, 9))).isFalse();
    assertThat(range.size()).isEqualTo(11);
  }

  @Test
  void minusCarvesOutTheMiddleEdgesOrAll() {
    ShardRange range = new ShardRange(10, 20);
    assertThat(range.minus(new ShardRange(12, 15)))
        .containsExactly(new ShardRange(10, 11), new ShardRange(16, 20));
    assertThat(range.minus(new ShardRange(0, 12))).containsExactly(new ShardRange(13, 20));
    assertThat(range.minus(new ShardRange(18, 1000))).containsExactly(new ShardRange(10, 17));
    assertThat(range.minus(new ShardRange(5, 25))).isEmpty();
    assertThat(range.minus(new ShardRange(30, 40))).containsExactly(range);
  }

  @Test
  void validatedExplainsBadBounds() {
    assertThatThrownBy(() -> ShardRange.validated(5, 4)).hasMessageContaining("lower is greater");
    assertThatThrownBy(() -> ShardRange.validated(0, 1001)).hasMessageContaining("[0, 1000]");
    assertThatThrownBy(() -> ShardRange.validated(-1, 3)).hasMessageContaining("[0, 1000]");
    assertThat(ShardRange.validated(0, 1000)).isEqualTo(ShardRange.ALL);
  }
}
