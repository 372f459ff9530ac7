package com.bacefook.store.gateway;

import com.bacefook.store.security.TlsFiles;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.function.Function;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The gateway's HTTPS certificate and key (PEM, PKCS#8), checked when given ({@code --https-cert FILE
 * --https-key FILE}); the gateway then serves HTTPS only.
 */
public final class HttpsFiles {
  private final KeyStore keyStore;

  private HttpsFiles(KeyStore keyStore) {
    this.keyStore = keyStore;
  }

  /**
   * Loads {@code cert} and {@code key}.
   *
   * @throws IllegalArgumentException with one line if a file is unusable, expired, or the key does not fit
   */
  public static HttpsFiles load(Path cert, Path key) {
    return new HttpsFiles(TlsFiles.keyStore(cert, key));
  }

  /**
   * Returns a Jetty connector serving HTTPS with this certificate, HTTP spoken by the factory {@code
   * protocol} makes from a secure copy of {@code http}.
   */
  ServerConnector connector(
      Server server,
      HttpConfiguration http,
      Function<HttpConfiguration, HttpConnectionFactory> protocol) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(TlsFiles.keyStorePassword());
    HttpConfiguration secure = new HttpConfiguration(http);
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    customizer.setSniHostCheck(false);
    secure.addCustomizer(customizer);
    return new ServerConnector(server, ssl, protocol.apply(secure));
  }
}
