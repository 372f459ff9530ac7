package com.bacefook.store.rpc;

import com.bacefook.store.sharding.Quote;
import com.google.common.net.HostAndPort;

/** Validation of {@code host:port} server addresses as they arrive from users and the wire. */
public final class Addresses {
  /** The longest address accepted (a DNS name is at most 253 characters, plus the port). */
  public static final int MAX_LENGTH = 260;

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
    if (address.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "bad server address " + Quote.of(address) + ": longer than " + MAX_LENGTH + " characters");
    }
    HostAndPort parsed;
    try {
      parsed = HostAndPort.fromString(address.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad server address " + Quote.of(address) + ": expected host:port", e);
    }
    if (!parsed.hasPort() || parsed.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "bad server address " + Quote.of(address) + ": expected host:port");
    }
    if (parsed.getPort() == 0) {
      throw new IllegalArgumentException("bad server address " + Quote.of(address) + ": port 0");
    }
    return parsed;
  }
}
