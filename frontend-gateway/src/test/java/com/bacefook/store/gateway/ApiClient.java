package com.bacefook.store.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A test client of the gateway's HTTP API: sends raw bodies and returns status, type and JSON. */
final class ApiClient {
  /** One answer: its status, content type, raw body and the body parsed as JSON (null if none). */
  record Answer(int status, String contentType, String body, JsonNode json) {
    /** Returns the {@code error} message of an error answer. */
    String error() {
      return json == null || !json.hasNonNull("error") ? null : json.get("error").asText();
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Returns a JSON body built from {@code value} (records, maps, strings). */
  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the headers of {@code GET path}. */
  HttpHeaders headers(String path) {
    try {
      return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding())
          .headers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer get(String path) {
    return send(request(path).GET().build());
  }

  Answer post(String path, String body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Posts {@code body} without a Content-Length, chunked. */
  Answer postChunked(String path, byte[] body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build());
  }

  /** Sends {@code body} with {@code headers} (Content-Type among them, if any). */
  Answer send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        request(path).method(method, HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  /** Returns the headers of the answer to {@code method path} sent with {@code headers}. */
  HttpHeaders headers(String method, String path, Map<String, String> headers) {
    HttpRequest.Builder request = request(path).method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).headers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer send(String method, String path, String body) {
    return send(
        request(path).method(method, HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
  }

  private Answer send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    JsonNode json = null;
    if (!response.body().isEmpty() && type.startsWith("application/json")) {
      try {
        json = MAPPER.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + response.body(), e);
      }
    }
    return new Answer(response.statusCode(), type, response.body(), json);
  }
}
