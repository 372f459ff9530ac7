package com.bacefook.store.gateway;

import com.bacefook.store.client.ShardmasterAddresses;
import com.bacefook.store.rpc.Addresses;
import com.bacefook.store.rpc.FlagValues;
import com.bacefook.store.security.Security;
import com.bacefook.store.security.SecurityFlags;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Command line: {@code frontend-gateway <SHARDMASTER_HOST:PORT[,HOST:PORT...]> [--port N] [--listen ADDR]
 * [--allow-host NAME]... [--allow-origin URL]... [--https-cert FILE --https-key FILE]} and the {@link
 * SecurityFlags} for its connections to the cluster.
 */
public final class GatewayMain {
  private static final int DEFAULT_PORT = 3000;
  private static final String USAGE =
      "usage: java -jar frontend-gateway.jar <SHARDMASTER_HOST:PORT[,HOST:PORT...]> [--port N] [--listen ADDR]"
          + " [--allow-host NAME]... [--allow-origin URL]... [--https-cert FILE --https-key FILE] "
          + SecurityFlags.USAGE
          + "   (default port " + DEFAULT_PORT + "; 0 picks a free one; default: every interface)";

  private GatewayMain() {}

  /** Entry point. */
  public static void main(String[] args) {
    String shardmaster = null;
    int port = DEFAULT_PORT;
    String listen = null;
    Set<String> hosts = new LinkedHashSet<>();
    Set<String> origins = new LinkedHashSet<>();
    Security security;
    Path httpsCert = null;
    Path httpsKey = null;
    HttpsFiles https;
    try {
      SecurityFlags securityFlags = SecurityFlags.parse(args, System.getenv());
      security = securityFlags.security();
      args = securityFlags.rest();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--https-cert" -> httpsCert = Path.of(FlagValues.value(args, ++i));
          case "--https-key" -> httpsKey = Path.of(FlagValues.value(args, ++i));
          case "--port" -> port = Addresses.port(FlagValues.value(args, ++i), 0);
          case "--listen" -> listen = FlagValues.value(args, ++i);
          case "--allow-host" -> hosts.add(FlagValues.value(args, ++i));
          case "--allow-origin" -> origins.add(FlagValues.value(args, ++i));
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> {
            if (args[i].startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (shardmaster != null) {
              throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            shardmaster = args[i];
          }
        }
      }
      if (shardmaster == null) {
        throw new IllegalArgumentException("missing the shardmaster's address");
      }
      shardmaster = ShardmasterAddresses.parse(shardmaster).toString();
      RequestGuard.normalOrigins(origins);
      if ((httpsCert == null) != (httpsKey == null)) {
        throw new IllegalArgumentException("--https-cert and --https-key go together");
      }
      https = httpsCert == null ? null : HttpsFiles.load(httpsCert, httpsKey);
    } catch (IllegalArgumentException e) {
      System.err.println("frontend-gateway: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    GatewayServer gateway;
    try {
      gateway =
          GatewayServer.start(
              shardmaster, new GatewayOptions(listen, port, hosts, origins, https), security);
    } catch (RuntimeException e) {
      System.err.println(
          "frontend-gateway: cannot start on " + (listen == null ? "" : listen + " ") + "port "
              + port + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "shutdown"));
    System.out.println(
        "Bacefook gateway for shardmaster " + shardmaster + ": open " + gateway.url());
  }

}
