package com.bacefook.store.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SocialKeysTest {
  @Test
  void classifiesKeys() {
    assertThat(SocialKeys.isUser("user_5")).isTrue();
    assertThat(SocialKeys.isUser("user_5_posts")).isFalse();
    assertThat(SocialKeys.isPost("post_5")).isTrue();
    assertThat(SocialKeys.isPost("post_x")).isFalse();
    assertThat(SocialKeys.postsOf("user_5")).isEqualTo("user_5_posts");
  }

  @Test
  void allUsersIsNotWritableAndOtherKeysKeepTheirIds() {
    assertThatThrownBy(() -> SocialKeys.writableId("all_users"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("all_users is kept by each server and cannot be written");
    assertThat(SocialKeys.writableId("user_17_posts")).isEqualTo(17);
    assertThatThrownBy(() -> SocialKeys.writableId("user_x"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessage("key 'user_x': ID 'x' is not a decimal number");
  }

  @Test
  void userAndPostKeysAreThePrefixAndAsciiDigitsOnly() {
    assertThat(SocialKeys.isUser("user_0042")).isTrue();
    assertThat(SocialKeys.isUser("user_")).isFalse();
    assertThat(SocialKeys.isUser("user")).isFalse();
    assertThat(SocialKeys.isUser("xuser_5")).isFalse();
    assertThat(SocialKeys.isUser("user_5x")).isFalse();
    assertThat(SocialKeys.isUser("user_-5")).isFalse();
    assertThat(SocialKeys.isUser("user_\u0665")).isFalse(); // an Arabic-Indic digit
    assertThat(SocialKeys.isUser("post_5")).isFalse();
    assertThat(SocialKeys.isPost("user_5")).isFalse();
    assertThat(SocialKeys.isPost("post_")).isFalse();
    assertThat(SocialKeys.isPost("post_5 ")).isFalse();
  }

  @Test
  void editsCommaTerminatedLists() {
    String list = SocialKeys.appendItem(SocialKeys.appendItem("", "post_1"), "post_12");
    assertThat(list).isEqualTo("post_1,post_12,");
    assertThat(SocialKeys.containsItem(list, "post_1")).isTrue();
    assertThat(SocialKeys.containsItem(list, "post_2")).isFalse();
    assertThat(SocialKeys.containsItem(list, "post_12")).isTrue();
    assertThat(SocialKeys.removeItem(list, "post_1")).isEqualTo("post_12,");
    assertThat(SocialKeys.removeItem(list, "post_3")).isEqualTo(list);
    assertThat(SocialKeys.splitList(list)).containsExactly("post_1", "post_12");
    assertThat(SocialKeys.splitList("")).isEmpty();
  }
}
