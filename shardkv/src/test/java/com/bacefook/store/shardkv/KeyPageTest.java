package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bacefook.store.sharding.IdSet;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.sharding.ShardRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyPageTest {
  private static final IdSet ALL = IdSet.of(List.of(ShardRange.validated(0, 1000)));

  private static Map<String, StoredValue> entries(String... keys) {
    Map<String, StoredValue> map = new LinkedHashMap<>();
    for (String key : keys) {
      map.put(key, new StoredValue("v-" + key, null));
    }
    return map;
  }

  private static List<String> keys(KeyPage page) {
    return page.entries().stream().map(Map.Entry::getKey).toList();
  }

  @Test
  void pagesListKeysByIdThenKeyAndResumeAfterTheCursor() {
    Map<String, StoredValue> all = entries("k_9_1", "user_2", "k_2_b", "post_10", "k_2_a", "user_2_posts");

    KeyPage first = KeyPage.select(all.entrySet(), ALL, new KeyCursor(0, ""), 3);
    assertThat(keys(first)).containsExactly("k_2_a", "k_2_b", "user_2");
    assertThat(first.done()).isFalse();

    KeyPage second = KeyPage.select(all.entrySet(), ALL, new KeyCursor(2, "user_2"), 3);
    assertThat(keys(second)).containsExactly("user_2_posts", "k_9_1", "post_10");
    assertThat(second.done()).isTrue();
    assertThat(second.entries().get(0).getValue().value()).isEqualTo("v-user_2_posts");
  }

  @Test
  void everyKeyComesExactlyOnceOverAllPages() {
    Map<String, StoredValue> all = new LinkedHashMap<>();
    for (int i = 0; i < 500; i++) {
      all.putAll(entries("k_" + (i * 7919 % 1001) + "_" + i));
    }
    List<String> seen = new ArrayList<>();
    KeyCursor cursor = new KeyCursor(0, "");
    for (int pages = 0; pages < 1000; pages++) {
      KeyPage page = KeyPage.select(all.entrySet(), ALL, cursor, 13);
      seen.addAll(keys(page));
      if (page.done()) {
        break;
      }
      String last = keys(page).get(page.entries().size() - 1);
      cursor = new KeyCursor(KeyId.of(last), last);
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(all.keySet());
  }

  @Test
  void keysOutsideTheIdSetAreLeftOut() {
    IdSet low = IdSet.of(List.of(ShardRange.validated(0, 9)));
    KeyPage page = KeyPage.select(entries("k_3_1", "k_10_1", "user_999").entrySet(), low, new KeyCursor(0, ""), 10);
    assertThat(keys(page)).containsExactly("k_3_1");
    assertThat(page.done()).isTrue();
  }

  @Test
  void aPageNeedsRoomForOneKey() {
    assertThatThrownBy(() -> KeyPage.select(List.of(), ALL, new KeyCursor(0, ""), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
