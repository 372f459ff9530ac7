package com.bacefook.store.gateway;

import com.bacefook.store.sharding.Quote;
import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a request may reach the API at all, before anything is read or written: its
 * {@code Host} must name this gateway (so a DNS-rebinding page cannot talk to it as if it were
 * same-origin), and a state-changing request must come from the gateway's own pages or an origin
 * the operator allowed (so another site open in the operator's browser cannot write through it).
 * Pure: no HTTP types, every input is a header value.
 */
public final class RequestGuard {
  /** Host names that always mean this machine. */
  private static final Set<String> LOCAL_NAMES = Set.of("localhost", "localhost.localdomain");

  /** Why a request is refused; each maps to one HTTP status. */
  public enum Refusal {
    /** The Host header names another site: 421. */
    FOREIGN_HOST,
    /** A state-changing request from another site: 403. */
    CROSS_SITE
  }

  /** A refusal and a message saying why and how to fix it. */
  public record Verdict(Refusal refusal, String message) {}

  private final Set<String> hosts;
  private final Set<String> origins;

  /**
   * Creates a guard.
   *
   * @param hosts host names (beside localhost and IP literals) this gateway answers to, such as the
   *     machine's name and those given with {@code --allow-host}
   * @param origins origins ({@code scheme://host[:port]}) allowed to write cross-site, from {@code
   *     --allow-origin}
   */
  public RequestGuard(Set<String> hosts, Set<String> origins) {
    this.hosts = hosts.stream().map(RequestGuard::normalHost).collect(Collectors.toUnmodifiableSet());
    this.origins = normalOrigins(origins);
  }

  /**
   * Returns {@code origins} normalised ({@code scheme://host[:port]}, lower case).
   *
   * @throws IllegalArgumentException naming the first that is not an http(s) origin
   */
  public static Set<String> normalOrigins(Set<String> origins) {
    return origins.stream()
        .map(origin -> normalOrigin(origin).orElseThrow(() -> badOrigin(origin)))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Returns the origins allowed to write cross-site, normalised. */
  public Set<String> allowedOrigins() {
    return origins;
  }

  /**
   * Returns why the request is refused, or empty if it may go on.
   *
   * @param method the HTTP method
   * @param host the {@code Host} header, or null if absent (HTTP/1.0 clients; browsers always send
   *     it)
   * @param origin the {@code Origin} header, or null
   * @param fetchSite the {@code Sec-Fetch-Site} header, or null
   */
  public Optional<Verdict> check(String method, String host, String origin, String fetchSite) {
    Optional<String> hostName = host == null ? Optional.empty() : hostName(host);
    if (host != null && (hostName.isEmpty() || !isOwnHost(hostName.get()))) {
      return Optional.of(
          new Verdict(
              Refusal.FOREIGN_HOST,
              "this gateway does not answer to the host name in Host " + Quote.of(host) + "; use"
                  + " localhost or 127.0.0.1, or start the gateway with --allow-host NAME"));
    }
    if (isSafe(method)) {
      return Optional.empty();
    }
    if (origin != null) {
      Optional<String> normal = normalOrigin(origin);
      boolean sameOrigin =
          normal.isPresent() && host != null && sameHostAndPort(normal.get(), host);
      if (sameOrigin || normal.map(origins::contains).orElse(false)) {
        return Optional.empty();
      }
      return Optional.of(
          new Verdict(
              Refusal.CROSS_SITE,
              "cross-site " + method + " from origin " + Quote.of(origin) + " refused: only this"
                  + " gateway's own pages may change data (an operator can allow an origin with"
                  + " --allow-origin URL)"));
    }
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return Optional.of(
          new Verdict(
              Refusal.CROSS_SITE,
              "cross-site " + method + " refused (Sec-Fetch-Site " + Quote.of(fetchSite) + "): only this"
                  + " gateway's own pages may change data"));
    }
    return Optional.empty();
  }

  /** Returns whether {@code method} only reads (GET, HEAD, OPTIONS). */
  static boolean isSafe(String method) {
    return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
  }

  private boolean isOwnHost(String name) {
    return LOCAL_NAMES.contains(name) || InetAddresses.isInetAddress(name) || hosts.contains(name);
  }

  /** Returns the host name of a {@code Host} header value, lower case, without port or brackets. */
  static Optional<String> hostName(String header) {
    try {
      HostAndPort parsed = HostAndPort.fromString(header.strip());
      String name = parsed.getHost();
      return name.isEmpty() ? Optional.empty() : Optional.of(normalHost(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Returns whether origin {@code scheme://host[:port]} names the same host and port as {@code host}. */
  private static boolean sameHostAndPort(String origin, String host) {
    URI uri = URI.create(origin);
    int originPort = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
    HostAndPort parsed;
    try {
      parsed = HostAndPort.fromString(host.strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    int hostPort = parsed.getPortOrDefault(defaultPort(uri.getScheme()));
    return normalHost(parsed.getHost()).equals(normalHost(stripBrackets(uri.getHost())))
        && hostPort == originPort;
  }

  /** Returns {@code scheme://host[:port]} in lower case, or empty if it is not an http(s) origin. */
  static Optional<String> normalOrigin(String origin) {
    URI uri;
    try {
      uri = new URI(origin.strip());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean bare =
        (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
            && uri.getQuery() == null
            && uri.getFragment() == null
            && uri.getUserInfo() == null;
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
      return Optional.empty();
    }
    String port = uri.getPort() < 0 || uri.getPort() == defaultPort(scheme) ? "" : ":" + uri.getPort();
    return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port);
  }

  private static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  private static String normalHost(String name) {
    String lower = stripBrackets(name).toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static String stripBrackets(String name) {
    return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
  }

  private static IllegalArgumentException badOrigin(String origin) {
    return new IllegalArgumentException(
        "bad origin " + Quote.of(origin) + ": expected scheme://host[:port], like http://localhost:8080");
  }
}
