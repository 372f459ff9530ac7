package com.bacefook.store.rpc;

import com.bacefook.store.sharding.Quote;
import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;

/** Validation of {@code host:port} server addresses as they arrive from users and the wire. */
public final class Addresses {
  /** The longest address accepted (a DNS name is at most 253 characters, plus the port). */
  public static final int MAX_LENGTH = 260;

  private Addresses() {}

  /**
   * Parses a port number given on a command line.
   *
   * @param lowest 0 where "any free port" is allowed, else 1
   * @throws IllegalArgumentException with a readable reason if it is not a port in [lowest, 65535]
   */
  public static int port(String text, int lowest) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < lowest || port > 65535) {
      throw new IllegalArgumentException(
          "bad port " + Quote.of(text) + ": expected a number in [" + lowest + ", 65535]");
    }
    return port;
  }

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
    String host = parsed.getHost();
    if (!parsed.hasPort()
        || !(InetAddresses.isInetAddress(host) || InternetDomainName.isValid(host))) {
      throw new IllegalArgumentException(
          "bad server address " + Quote.of(address) + ": expected host:port");
    }
    if (parsed.getPort() == 0) {
      throw new IllegalArgumentException("bad server address " + Quote.of(address) + ": port 0");
    }
    return parsed;
  }
}
