package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class StoredValueTest {
  private static final String UNICODE = "naïve 日本語 🎉 e\u0301 \u0000 end";

  @Test
  void keepsTextByteExactAsUtf8() {
    StoredValue value = new StoredValue(UNICODE, "user_1");
    assertThat(value.value()).isEqualTo(UNICODE);
    assertThat(value.valueBytes()).isEqualTo(ByteString.copyFromUtf8(UNICODE));
    assertThat(value.byteLength()).isEqualTo(ByteString.copyFromUtf8(UNICODE).size());
    assertThat(value.author()).isEqualTo("user_1");
  }

  @Test
  void appendsBytesAndKeepsTheAuthor() {
    StoredValue value = StoredValue.of(ByteString.copyFromUtf8("日本"), "user_2");
    StoredValue appended = value.append(ByteString.copyFromUtf8("語🎉"));
    assertThat(appended.value()).isEqualTo("日本語🎉");
    assertThat(appended.author()).isEqualTo("user_2");
    assertThat(value.value()).isEqualTo("日本");
  }

  @Test
  void survivesTheDiskEncoding() {
    for (StoredValue value :
        new StoredValue[] {new StoredValue(UNICODE, null), new StoredValue("", "user_7")}) {
      assertThat(RocksPersistence.decode(RocksPersistence.encode(value))).isEqualTo(value);
    }
  }
}
