package com.bacefook.store.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShardmasterAddressesTest {
  @Test
  void aListKeepsItsOrderAndDropsRepeats() {
    ShardmasterAddresses list = ShardmasterAddresses.parse("a:1, b:2,c:3,a:1");

    assertThat(list.addresses()).containsExactly("a:1", "b:2", "c:3");
    assertThat(list.toString()).isEqualTo("a:1,b:2,c:3");
    assertThat(list.after("a:1")).isEqualTo("b:2");
    assertThat(list.after("c:3")).isEqualTo("a:1");
    assertThat(list.after("elsewhere:9")).isEqualTo("a:1");
  }

  @Test
  void splittingChecksNothingButDropsEmptyItems() {
    assertThat(ShardmasterAddresses.split("in-process-name").addresses())
        .containsExactly("in-process-name");
    assertThat(ShardmasterAddresses.split("a:1, b:2,").addresses()).containsExactly("a:1", "b:2");
  }

  @Test
  void anEmptyItemIsNamed() {
    assertThatThrownBy(() -> ShardmasterAddresses.parse("a:1,,c:3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad shardmaster list 'a:1,,c:3': item 2 is empty");
  }

  @Test
  void aBadPortIsNamed() {
    assertThatThrownBy(() -> ShardmasterAddresses.parse("a:1,b:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad shardmaster list 'a:1,b:99999': bad server address 'b:99999'");
  }

  @Test
  void hostAndPortArgumentsTakeAListWithADashForThePort() {
    assertThat(ShardmasterAddresses.fromHostAndPort("localhost", "9090").addresses())
        .containsExactly("localhost:9090");
    assertThat(ShardmasterAddresses.fromHostAndPort("a:1,b:2,c:3", "-").addresses())
        .containsExactly("a:1", "b:2", "c:3");
    assertThatThrownBy(() -> ShardmasterAddresses.fromHostAndPort("a:1,b:2", "9090"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a shardmaster list 'a:1,b:2' takes '-' as its port, not '9090'");
    assertThatThrownBy(() -> ShardmasterAddresses.fromHostAndPort("localhost", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad port 'x': expected a number in [1, 65535]");
  }
}
