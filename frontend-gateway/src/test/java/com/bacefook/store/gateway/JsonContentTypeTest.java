package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which declared types count as a JSON body (issue 15): only application/json, in UTF-8. */
class JsonContentTypeTest {
  @ParameterizedTest(name = "'{0}'")
  @ValueSource(
      strings = {
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        "application/json;charset=\"UTF-8\"",
        "application/json; boundary=x"
      })
  void jsonIsAccepted(String type) {
    assertThat(JsonCodec.isJson(type)).isTrue();
  }

  @ParameterizedTest(name = "'{0}'")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        ";;;",
        ";",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=nope",
        "application/json; charset",
        "application/merge-patch+json",
        "application/jsonx"
      })
  void anythingElseIsRefused(String type) {
    assertThat(JsonCodec.isJson(type)).isFalse();
  }
}
