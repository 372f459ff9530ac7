package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {
  @ParameterizedTest
  @ValueSource(strings = {"user_0", "user_7", "user_999", "user_1000"})
  void acceptsUserIdsInRange(String id) {
    assertThat(Inputs.userId("userId", id)).isEqualTo(id);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "user_1001|out of range",
        "user_-3|negative",
        "user_x1|not a decimal number",
        "user_|no ID",
        "user_007|write 'user_7'",
        "user_7_posts|write 'user_7'",
        "post_7|user_<N>",
        "User_7|user_<N>"
      })
  void refusesOtherUserIdsSayingWhy(String id, String why) {
    assertThatThrownBy(() -> Inputs.userId("userId", id))
        .isInstanceOfSatisfying(
            ClientError.class, e -> assertThat(e.reason()).isEqualTo(ClientError.Reason.INVALID))
        .hasMessageContaining("'userId'")
        .hasMessageContaining(why);
  }

  @Test
  void postIdsFollowTheSameRules() {
    assertThat(Inputs.postId("postId", "post_1000")).isEqualTo("post_1000");
    assertThatThrownBy(() -> Inputs.postId("postId", "post_01")).hasMessageContaining("post_1");
    assertThatThrownBy(() -> Inputs.postId("postId", "user_1")).hasMessageContaining("post_<N>");
  }

  @Test
  void overlongIdsAreShortenedInTheMessage() {
    String id = "user_" + "9".repeat(2000);

    assertThatThrownBy(() -> Inputs.userId("userId", id))
        .hasMessageContaining("…")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void namesAreStrippedAndBounded() {
    assertThat(Inputs.userName("userName", "  Ada  ")).isEqualTo("Ada");
    assertThat(Inputs.userName("userName", "x".repeat(Inputs.MAX_NAME_LENGTH))).hasSize(80);
    assertThatThrownBy(() -> Inputs.userName("userName", " \t ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Inputs.userName("userName", "x".repeat(81)))
        .hasMessageContaining("limit is 80");
  }

  @Test
  void postsKeepTheirTextButMustSaySomething() {
    assertThat(Inputs.postText("postContent", "  hi\n")).isEqualTo("  hi\n");
    assertThatThrownBy(() -> Inputs.postText("postContent", "\n  ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Inputs.postText("postContent", "x".repeat(5001)))
        .hasMessageContaining("limit is 5000");
  }
}
