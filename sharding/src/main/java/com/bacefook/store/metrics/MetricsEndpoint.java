package com.bacefook.store.metrics;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A Prometheus registry and, when a port is given, an HTTP server answering {@code GET /metrics} with
 * its scrape. Servers register their own gauges on {@link #registry()} and add {@link
 * #grpcInterceptor()} to count and time every RPC by method and status.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer http;

  private MetricsEndpoint(HttpServer http) {
    this.http = http;
    if (http != null) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
    }
  }

  /**
   * A registry with no HTTP endpoint (metrics off). It has no JVM memory and thread meters: nothing
   * would read them, and binding them loads the JVM's management and flight-recorder classes (about
   * 140 classes, 1 MB of an idle shardmaster's resident memory).
   */
  public static MetricsEndpoint disabled() {
    return new MetricsEndpoint(null);
  }

  /**
   * Serves {@code /metrics} on {@code port} on all interfaces (0 picks a free port).
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static MetricsEndpoint onPort(int port) {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(port), 0);
      MetricsEndpoint endpoint = new MetricsEndpoint(http);
      http.createContext(
          "/metrics",
          exchange -> {
            byte[] body = endpoint.registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      http.start();
      return endpoint;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** Returns the registry to add meters to. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Returns an interceptor that counts and times each RPC by service, method and status code; with
   * metrics off it does nothing, so the request path pays nothing for them.
   */
  public ServerInterceptor grpcInterceptor() {
    if (http == null) {
      return new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
          return next.startCall(call, headers);
        }
      };
    }
    return new MetricCollectingServerInterceptor(registry);
  }

  /** Returns the HTTP port, or -1 when there is no endpoint. */
  public int port() {
    return http == null ? -1 : http.getAddress().getPort();
  }

  /** Returns the current scrape, as {@code /metrics} would. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    registry.close();
  }
}
