package com.bacefook.store.rpc;

import com.google.common.net.HostAndPort;

/** Validation of {@code host:port} server addresses as they arrive from users and the wire. */
public final class Addresses {
  private Addresses() {}

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException with a readable reason if it is not a usable address
   */
  public static HostAndPort parse(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("empty server address: expected host:port");
    }
    HostAndPort parsed;
    try {
      parsed = HostAndPort.fromString(address.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad server address '" + address + "': " + e.getMessage(), e);
    }
    if (!parsed.hasPort() || parsed.getHost().isEmpty()) {
      throw new IllegalArgumentException("bad server address '" + address + "': expected host:port");
    }
    if (parsed.getPort() == 0) {
      throw new IllegalArgumentException("bad server address '" + address + "': port 0");
    }
    return parsed;
  }
}
