package com.bacefook.store.gateway.fuzz;

import com.bacefook.store.testkit.fuzz.Shown;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/** Sends {@link FuzzRequest}s to the gateway with {@link HttpClient} and reads the whole answer. */
final class FuzzHttp {
  /**
   * One answer: status, Content-Type (empty if none), the body (decompressed if the gateway
   * compressed it) and how long it took.
   */
  record Reply(int status, String contentType, byte[] body, long millis) {
    /** Returns the body as UTF-8, or null if it is not valid UTF-8. */
    String text() {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(body))
            .toString();
      } catch (CharacterCodingException e) {
        return null;
      }
    }

    String describe() {
      return status
          + " "
          + (contentType.isEmpty() ? "(no Content-Type)" : contentType)
          + " "
          + Shown.bytes(body, 300)
          + " in "
          + millis
          + " ms";
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;

  FuzzHttp(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /**
   * Sends {@code request} and waits at most {@code deadline} for the whole answer.
   *
   * @throws java.net.http.HttpTimeoutException if the answer does not arrive in time
   * @throws IOException if the connection fails
   */
  Reply send(FuzzRequest request, Duration deadline) throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + request.target()))
            .timeout(deadline)
            .expectContinue(request.expectContinue())
            .method(request.method(), publisher(request));
    if (request.http2()) {
      builder.version(HttpClient.Version.HTTP_2);
    }
    for (Map.Entry<String, String> header : request.headers()) {
      builder.header(header.getKey(), header.getValue());
    }
    long start = System.nanoTime();
    // The request's own timeout stops at the answer's headers, and not always even that (a body
    // the server stops reading can hold the client): the whole exchange gets the deadline here.
    CompletableFuture<HttpResponse<byte[]>> exchange =
        client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response;
    try {
      response = exchange.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new HttpTimeoutException("no complete answer within " + deadline);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(e.getCause());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    String encoding = response.headers().firstValue("Content-Encoding").orElse("identity");
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        decode(encoding, response.body()),
        millis);
  }

  private static HttpRequest.BodyPublisher publisher(FuzzRequest request) {
    byte[] body = request.body();
    if (body == null) {
      return HttpRequest.BodyPublishers.noBody();
    }
    if (request.abortAfter() >= 0) {
      HttpRequest.BodyPublisher failing =
          HttpRequest.BodyPublishers.ofInputStream(
              () -> new FailingInputStream(body, request.abortAfter()));
      return request.chunked()
          ? failing
          : HttpRequest.BodyPublishers.fromPublisher(failing, body.length);
    }
    return request.chunked()
        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
        : HttpRequest.BodyPublishers.ofByteArray(body);
  }

  /** The first {@code limit} bytes of a body, then an I/O error: an upload that breaks off. */
  private static final class FailingInputStream extends InputStream {
    private final ByteArrayInputStream bytes;
    private int left;

    FailingInputStream(byte[] body, int limit) {
      this.bytes = new ByteArrayInputStream(body);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        throw new IOException("the fuzzer breaks off this upload");
      }
      int n = bytes.read(buffer, offset, Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /**
   * Undoes the Content-Encoding the gateway chose. An empty body stays empty: a HEAD answer names the
   * encoding its GET would have, but carries no bytes to decode.
   */
  private static byte[] decode(String encoding, byte[] body) throws IOException {
    if (body.length == 0) {
      return body;
    }
    switch (encoding.strip().toLowerCase(Locale.ROOT)) {
      case "identity", "":
        return body;
      case "gzip":
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          return in.readAllBytes();
        }
      case "deflate":
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(body))) {
          return in.readAllBytes();
        }
      default:
        throw new IOException("answer in an encoding the fuzzer did not offer: " + encoding);
    }
  }
}
