package com.bacefook.store.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {
  @Test
  void parsesPortsWithinTheirBounds() {
    assertThat(Addresses.port("0", 0)).isZero();
    assertThat(Addresses.port("65535", 1)).isEqualTo(65535);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "", "-1", "65536", "99999999999", "1.5"})
  void refusesAnythingElseSayingWhy(String text) {
    assertThatThrownBy(() -> Addresses.port(text, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad port '" + text + "': expected a number in [1, 65535]");
  }

  @Test
  void portZeroOnlyWhereAllowed() {
    assertThatThrownBy(() -> Addresses.port("0", 1)).hasMessageContaining("[1, 65535]");
  }

  @Test
  void parsesAndRefusesAddresses() {
    assertThat(Addresses.parse("127.0.0.1:9090").getPort()).isEqualTo(9090);
    assertThat(Addresses.parse("localhost:1").getHost()).isEqualTo("localhost");
    assertThat(Addresses.parse("[::1]:1").getHost()).isEqualTo("::1");
    for (String bad : new String[] {"nohost", "bad host:1", ":1", "a/b:1", "host:0"}) {
      assertThatThrownBy(() -> Addresses.parse(bad)).hasMessageContaining("bad server address");
    }
  }
}
