package com.bacefook.store.gateway;

import java.util.Set;

/**
 * How the gateway listens and whom it answers.
 *
 * @param listen the address to listen on, or null for every interface
 * @param port the HTTP port (0 picks a free one)
 * @param allowHosts host names it answers to beside localhost, IP literals and the machine's name
 * @param allowOrigins origins allowed to call the API cross-site (CORS); none by default
 */
public record GatewayOptions(
    String listen,
    int port,
    Set<String> allowHosts,
    Set<String> allowOrigins,
    HttpsFiles https) {
  /** Copies the sets. */
  public GatewayOptions {
    allowHosts = Set.copyOf(allowHosts);
    allowOrigins = Set.copyOf(allowOrigins);
  }

  /** Every interface, port {@code port}, no extra hosts or origins. */
  public static GatewayOptions onPort(int port) {
    return new GatewayOptions(null, port, Set.of(), Set.of(), null);
  }
}
