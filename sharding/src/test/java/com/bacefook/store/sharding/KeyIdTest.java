package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyIdTest {
  @ParameterizedTest
  @CsvSource({
    "user_17, 17",
    "post_402, 402",
    "user_17_posts, 17",
    "user_0, 0",
    "post_1000, 1000",
    "thing_5_42, 5",
    "user_007, 7",
    "_3, 3"
  })
  void readsTheNumberAfterTheFirstUnderscore(String key, int id) {
    assertThat(KeyId.of(key)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "all", "user", "user_", "user__1", "user_abc", "user_-1", "user_1001",
        "user_99999999999999999999999", "user_+5", "user_ 5", "user_5x", "user_\u0665", "user_1.5"
      })
  void rejectsMalformedKeys(String key) {
    assertThatThrownBy(() -> KeyId.of(key))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining(key.isEmpty() ? "empty" : "'" + key + "'");
  }

  @ParameterizedTest
  @CsvSource({"user_-1, negative", "user_1001, out of range", "user_x, not a decimal", "user, no '_'"})
  void saysWhyAKeyIsRejected(String key, String reason) {
    assertThatThrownBy(() -> KeyId.of(key)).hasMessageContaining(reason);
  }

  @Test
  void rejectsNullAndHugeKeys() {
    assertThatThrownBy(() -> KeyId.of(null)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> KeyId.of("user_1_" + "x".repeat(KeyId.MAX_KEY_LENGTH)))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("limit");
  }
}
