package com.bacefook.store.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlagValuesTest {
  @Test
  void readsTheValueAfterAFlag() {
    String[] args = {"9090", "--snapshot-every", "200", "--metrics-port", "0"};

    assertThat(FlagValues.value(args, 2)).isEqualTo("200");
    assertThat(FlagValues.number(args, 2)).isEqualTo(200);
    assertThat(FlagValues.port(args, 4)).isZero();
  }

  @Test
  void namesTheFlagWhoseValueIsMissingOrWrong() {
    String[] args = {"--election-timeout-ms", "abc", "--metrics-port", "70000", "--join"};

    assertThatThrownBy(() -> FlagValues.number(args, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--election-timeout-ms takes a whole number, got 'abc'");
    assertThatThrownBy(() -> FlagValues.port(args, 3))
        .hasMessage("--metrics-port: bad port '70000': expected a number in [0, 65535]");
    assertThatThrownBy(() -> FlagValues.value(args, 5)).hasMessage("--join needs a value");
  }
}
