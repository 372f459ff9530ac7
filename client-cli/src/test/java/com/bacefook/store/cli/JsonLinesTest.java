package com.bacefook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.proto.PutRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLinesTest {
  @Test
  void aLineBecomesAPutAndBackTheSame() {
    PutRequest put = JsonLines.parse("{\"key\":\"post_3\",\"value\":\"hé \\\"quoted\\\"\\n\",\"user\":\"user_1\"}");
    assertThat(put.getKey()).isEqualTo("post_3");
    assertThat(put.getData()).isEqualTo("hé \"quoted\"\n");
    assertThat(put.getUser()).isEqualTo("user_1");
    assertThat(JsonLines.parse(JsonLines.format(put))).isEqualTo(put);
  }

  @Test
  void theUserIsOptionalAndLeftOutWhenEmpty() {
    PutRequest put = JsonLines.parse("{\"key\":\"k_1_1\",\"value\":\"v\"}");
    assertThat(put.getUser()).isEmpty();
    assertThat(JsonLines.format(put)).isEqualTo("{\"key\":\"k_1_1\",\"value\":\"v\"}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"key\":\"k\"}|missing \"value\"",
        "[1,2]|expected an object",
        "{\"key\":\"k\",\"value\":5}|\"value\" must be a string, got number",
        "{\"key\":\"k\",\"value\":\"v\",\"author\":\"x\"}|unknown field \"author\"",
        "{\"value\":\"v\"}|missing \"key\"",
        "not json|not JSON"
      })
  void badLinesSayWhatIsWrong(String line, String message) {
    assertThatThrownBy(() -> JsonLines.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
