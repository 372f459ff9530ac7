package com.bacefook.store.gateway;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannelOverHttp;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;

/**
 * Jetty's HTTP/1.1 connections, except that a request whose target Jetty would refuse while parsing
 * it (an ambiguous path such as {@code /%2e%2e/}, one that climbs above the root, bad percent
 * encoding) is passed on as {@link #REFUSED_PATH} instead, for the application to answer 400.
 *
 * <p>Why: Jetty answers such a target with 400 before reading the body and then closes the socket
 * with the body unread; the kernel answers the rest of the body with a reset, and a client still
 * sending a chunked body could lose the 400 and see only a closed connection. Answered by the
 * application, the body is read first and the connection ends cleanly.
 */
final class RefusedUriConnectionFactory extends HttpConnectionFactory {
  /** The path a refused target is replaced with; the application answers it with 400. */
  static final String REFUSED_PATH = "/.refused-uri";

  RefusedUriConnectionFactory(HttpConfiguration config) {
    super(config);
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    HttpConfiguration config = getHttpConfiguration();
    HttpConnection connection =
        new HttpConnection(config, connector, endPoint, isRecordHttpComplianceViolations()) {
          @Override
          protected HttpChannelOverHttp newHttpChannel() {
            return new HttpChannelOverHttp(this, connector, config, endPoint, this) {
              @Override
              public void startRequest(String method, String uri, HttpVersion version) {
                super.startRequest(method, isRefused(uri, config) ? REFUSED_PATH : uri, version);
              }
            };
          }
        };
    connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
    connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
    return configure(connection, connector, endPoint);
  }

  /** Returns whether Jetty would refuse {@code target} (an origin-form path) while parsing it. */
  static boolean isRefused(String target, HttpConfiguration config) {
    if (!target.startsWith("/")) {
      return false; // absolute-form, authority-form and "*": Jetty's own rules apply
    }
    try {
      HttpURI uri = HttpURI.build(target);
      return uri.getDecodedPath() == null
          || UriCompliance.checkUriCompliance(config.getUriCompliance(), uri) != null;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }
}
