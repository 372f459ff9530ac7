package com.bacefook.store.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestGuardTest {
  private final RequestGuard guard =
      new RequestGuard(Set.of("Box.lan."), Set.of("HTTPS://Tools.Example:443/"));

  private Optional<RequestGuard.Refusal> refusal(
      String method, String host, String origin, String site) {
    return guard.check(method, host, origin, site).map(RequestGuard.Verdict::refusal);
  }

  @ParameterizedTest(name = "Host: {0}")
  @CsvSource({
    "localhost:3000", "LOCALHOST", "127.0.0.1:3000", "[::1]:3000", "10.1.2.3", "box.lan:3000",
    "box.lan.:3000"
  })
  void hostsThatNameThisMachineAreServed(String host) {
    assertThat(refusal("GET", host, null, null)).isEmpty();
  }

  @ParameterizedTest(name = "Host: {0}")
  @CsvSource({"evil.example:3000", "localhost.evil.example", "127.0.0.1.nip.io", "'a b'", "''"})
  void otherHostsAreRefused(String host) {
    assertThat(refusal("GET", host, null, null)).contains(RequestGuard.Refusal.FOREIGN_HOST);
    assertThat(refusal("POST", host, "http://" + host, null))
        .contains(RequestGuard.Refusal.FOREIGN_HOST);
  }

  @Test
  void aRequestWithoutHostIsJudgedByItsOriginAlone() {
    assertThat(refusal("GET", null, null, null)).isEmpty();
    assertThat(refusal("POST", null, "http://localhost:3000", null))
        .contains(RequestGuard.Refusal.CROSS_SITE);
  }

  @ParameterizedTest(name = "{0} from {1} to {2}")
  @CsvSource({
    "POST, http://evil.example, localhost:3000",
    "POST, null, localhost:3000",
    "POST, http://localhost:3001, localhost:3000",
    "POST, http://127.0.0.1:3000, localhost:3000",
    "DELETE, http://evil.example, localhost:3000",
    "PUT, http://localhost:3000/path, localhost:3000",
    "POST, https://tools.example:8443, localhost:3000"
  })
  void writesFromOtherOriginsAreRefused(String method, String origin, String host) {
    assertThat(refusal(method, host, origin, null)).contains(RequestGuard.Refusal.CROSS_SITE);
  }

  @ParameterizedTest(name = "{0} from {1} to {2}")
  @CsvSource({
    "POST, http://localhost:3000, localhost:3000",
    "POST, HTTP://LOCALHOST:3000, localhost:3000",
    "POST, http://localhost, localhost:80",
    "POST, http://[::1]:3000, [::1]:3000",
    "POST, https://tools.example, localhost:3000",
    "GET, http://evil.example, localhost:3000",
    "OPTIONS, http://evil.example, localhost:3000"
  })
  void sameOriginAllowedOriginsAndReadsAreServed(String method, String origin, String host) {
    assertThat(refusal(method, host, origin, null)).isEmpty();
  }

  @ParameterizedTest(name = "Sec-Fetch-Site: {0}")
  @CsvSource({"cross-site", "same-site", "junk"})
  void writesWithoutOriginAreJudgedBySecFetchSite(String site) {
    assertThat(refusal("POST", "localhost:3000", null, site))
        .contains(RequestGuard.Refusal.CROSS_SITE);
    assertThat(refusal("GET", "localhost:3000", null, site)).isEmpty();
  }

  @Test
  void writesFromNonBrowsersAndTheUserThemselvesAreServed() {
    assertThat(refusal("POST", "localhost:3000", null, null)).isEmpty();
    assertThat(refusal("POST", "localhost:3000", null, "same-origin")).isEmpty();
    assertThat(refusal("POST", "localhost:3000", null, "none")).isEmpty();
  }

  @Test
  void refusalsSayHowToFixThem() {
    assertThat(guard.check("GET", "evil.example", null, null).orElseThrow().message())
        .contains("'evil.example'")
        .contains("--allow-host");
    assertThat(
            guard.check("POST", "localhost", "http://evil.example", null).orElseThrow().message())
        .contains("'http://evil.example'")
        .contains("--allow-origin");
  }

  @Test
  void allowedOriginsAreNormalisedAndCheckedWhenGiven() {
    assertThat(guard.allowedOrigins()).containsExactly("https://tools.example");
    assertThatThrownBy(() -> RequestGuard.normalOrigins(Set.of("tools.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheme://host[:port]");
    assertThatThrownBy(() -> RequestGuard.normalOrigins(Set.of("http://a.example/path")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
