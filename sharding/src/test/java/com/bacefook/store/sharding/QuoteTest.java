package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuoteTest {
  @Test
  void quotesShortInputAsItIs() {
    assertThat(Quote.of("user_5")).isEqualTo("'user_5'");
    assertThat(Quote.of("")).isEqualTo("''");
    assertThat(Quote.of(null)).isEqualTo("null");
  }

  @Test
  void escapesControlCharactersAndCutsLongInput() {
    assertThat(Quote.of("a\nb\u0000")).isEqualTo("'a\\u000ab\\u0000'");
    String shown = Quote.of("\u4e2d".repeat(5000));
    assertThat(shown).startsWith("'" + "\u4e2d".repeat(Quote.MAX_SHOWN) + "...'").endsWith("(5000 characters)");
    assertThat(shown.length()).isLessThan(Quote.MAX_SHOWN + 30);
  }
}
