package com.bacefook.store.gateway.fuzz;

import com.bacefook.store.testkit.fuzz.Shown;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One HTTP request as the fuzzer sends it: a method, a target (path and query, already
 * percent-encoded), headers, and a body sent with a Content-Length or chunked.
 *
 * @param body null for no body
 * @param chunked whether the body is sent without a Content-Length
 * @param expectContinue whether the request asks for {@code 100 Continue} before its body
 * @param http2 whether the client offers an upgrade to HTTP/2 (h2c)
 * @param abortAfter if not negative, the client fails the upload after this many bytes of the body
 *     (announced with its full Content-Length unless chunked), and the connection is dropped
 */
record FuzzRequest(
    String method,
    String target,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    boolean chunked,
    boolean expectContinue,
    boolean http2,
    int abortAfter) {

  FuzzRequest(
      String method,
      String target,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      boolean chunked,
      boolean expectContinue,
      boolean http2) {
    this(method, target, headers, body, chunked, expectContinue, http2, -1);
  }

  /** This request, with its upload failing after {@code bytes} bytes of the body. */
  FuzzRequest abortingAfter(int bytes) {
    return new FuzzRequest(method, target, headers, body, chunked, expectContinue, http2, bytes);
  }

  private static final int SHOWN_HEADERS = 4;

  /** A plain request with a JSON body (or none) for the setup and the final checks. */
  static FuzzRequest plain(String method, String target, byte[] body) {
    List<Map.Entry<String, String>> headers =
        body == null ? List.of() : List.of(Map.entry("Content-Type", "application/json"));
    return new FuzzRequest(method, target, headers, body, false, false, false);
  }

  /** How a report shows the request: enough to send it again by hand. */
  String describe() {
    StringBuilder out = new StringBuilder(method).append(' ').append(Shown.text(target, 300));
    if (!headers.isEmpty()) {
      out.append(
          headers.stream()
              .limit(SHOWN_HEADERS)
              .map(h -> h.getKey() + ": " + Shown.text(h.getValue(), 120))
              .collect(Collectors.joining("; ", " [", "")));
      if (headers.size() > SHOWN_HEADERS) {
        out.append("; and ")
            .append(headers.size() - SHOWN_HEADERS)
            .append(" more headers of ")
            .append(headers.stream().skip(SHOWN_HEADERS).mapToInt(h -> h.getValue().length()).sum())
            .append(" characters");
      }
      out.append(']');
    }
    if (http2) {
      out.append(" (h2c upgrade offered)");
    }
    if (expectContinue) {
      out.append(" (Expect: 100-continue)");
    }
    if (body != null) {
      out.append(chunked ? " chunked body " : " body ").append(Shown.bytes(body, 400));
      if (abortAfter >= 0) {
        out.append(" (the upload fails after ").append(abortAfter).append(" bytes)");
      }
    }
    return out.toString();
  }
}
