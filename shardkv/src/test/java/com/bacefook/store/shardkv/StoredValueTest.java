package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
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
  void anEmptyValueAndNoAuthorAreKeptApartFromAnEmptyAuthor() {
    StoredValue none = StoredValue.of("用户_1", ByteString.EMPTY, null);
    StoredValue empty = StoredValue.of("用户_1", ByteString.EMPTY, "");
    assertThat(none.value()).isEmpty();
    assertThat(none.byteLength()).isZero();
    assertThat(none.valueBytes()).isEqualTo(ByteString.EMPTY);
    assertThat(none.author()).isNull();
    assertThat(empty.author()).isEmpty();
    assertThat(none).isNotEqualTo(empty);
  }

  @Test
  void anEntryForItsKeyIsKeptAndAnyOtherIsCopiedUnderTheKey() {
    byte[] key = "post_🎉".getBytes(StandardCharsets.UTF_8);
    StoredValue forKey = StoredValue.of("post_🎉", ByteString.copyFromUtf8(UNICODE), "user_3");
    StoredValue detached = new StoredValue(UNICODE, "user_3");

    assertThat(forKey.entryFor(key)).isSameAs(forKey.entryFor(key));
    byte[] copied = detached.entryFor(key);
    assertThat(EntryTable.key(copied)).isEqualTo("post_🎉");
    StoredValue stored = StoredValue.ofEntry(copied);
    assertThat(stored).isEqualTo(detached).isEqualTo(forKey).hasSameHashCodeAs(detached);
    assertThat(stored.sameEntry(StoredValue.ofEntry(copied))).isTrue();
    assertThat(stored.sameEntry(forKey)).isFalse();
    assertThat(stored.value()).isEqualTo(UNICODE);
    assertThat(stored.author()).isEqualTo("user_3");
  }

  @Test
  void aChangedValueKeepsItsKeyAndAuthor() {
    StoredValue list = StoredValue.of("user_1_posts", ByteString.copyFromUtf8("post_1,"), "user_1");
    StoredValue longer = list.append(ByteString.copyFromUtf8("post_2,"));
    StoredValue shorter = longer.withValue("p");

    for (StoredValue v : new StoredValue[] {longer, shorter}) {
      byte[] entry = v.entryFor("user_1_posts".getBytes(StandardCharsets.UTF_8));
      assertThat(StoredValue.ofEntry(entry).sameEntry(v)).as("kept its key").isTrue();
      assertThat(v.author()).isEqualTo("user_1");
    }
    assertThat(longer.value()).isEqualTo("post_1,post_2,");
    assertThat(shorter.value()).isEqualTo("p");
    assertThat(list.value()).isEqualTo("post_1,");
  }

  @Test
  void survivesTheDiskEncoding() {
    for (StoredValue value :
        new StoredValue[] {
          new StoredValue(UNICODE, null), new StoredValue("", "user_7"), new StoredValue("", null)
        }) {
      assertThat(RocksPersistence.decode(RocksPersistence.encode(value))).isEqualTo(value);
    }
  }
}
