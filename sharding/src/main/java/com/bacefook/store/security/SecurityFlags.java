package com.bacefook.store.security;

import com.bacefook.store.rpc.FlagValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Takes the security options out of a command line, leaving the rest for the program's own parser:
 * {@code --tls-cert FILE --tls-key FILE --tls-ca FILE --admin-token-file FILE --cluster-token-file FILE
 * --client-token-file FILE}. A token comes from its file or else from {@code BACEFOOK_ADMIN_TOKEN},
 * {@code BACEFOOK_CLUSTER_TOKEN} or {@code BACEFOOK_CLIENT_TOKEN}; a token value on the command line is
 * refused, since every user of the machine can read command lines.
 *
 * @param security what the options ask for
 * @param rest the other arguments, in order
 */
public record SecurityFlags(Security security, String[] rest) {
  /** The options, for usage lines. */
  public static final String USAGE =
      "[--tls-cert FILE --tls-key FILE --tls-ca FILE] [--admin-token-file FILE] [--cluster-token-file FILE]"
          + " [--client-token-file FILE]";

  /**
   * Parses the security options of {@code args}, reading token files (or {@code environment}).
   *
   * @throws IllegalArgumentException with a one-line message if an option is incomplete, a token is
   *     given as a value, or a file is unusable
   */
  public static SecurityFlags parse(String[] args, Map<String, String> environment) {
    Path cert = null;
    Path key = null;
    Path ca = null;
    Path admin = null;
    Path cluster = null;
    Path client = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tls-cert" -> cert = Path.of(FlagValues.value(args, ++i));
        case "--tls-key" -> key = Path.of(FlagValues.value(args, ++i));
        case "--tls-ca" -> ca = Path.of(FlagValues.value(args, ++i));
        case "--admin-token-file" -> admin = Path.of(FlagValues.value(args, ++i));
        case "--cluster-token-file" -> cluster = Path.of(FlagValues.value(args, ++i));
        case "--client-token-file" -> client = Path.of(FlagValues.value(args, ++i));
        case "--admin-token", "--cluster-token", "--client-token", "--token" ->
            throw new IllegalArgumentException(
                args[i] + ": tokens are never taken from the command line; use " + args[i]
                    + "-file FILE or the BACEFOOK_"
                    + args[i].substring(2).replace("-token", "").toUpperCase(Locale.ROOT)
                    + "_TOKEN environment variable");
        default -> rest.add(args[i]);
      }
    }
    Optional<TlsFiles> tls =
        cert == null && key == null && ca == null ? Optional.empty() : Optional.of(new TlsFiles(cert, key, ca));
    Tokens tokens =
        new Tokens(
            token(admin, "BACEFOOK_ADMIN_TOKEN", environment),
            token(cluster, "BACEFOOK_CLUSTER_TOKEN", environment),
            token(client, "BACEFOOK_CLIENT_TOKEN", environment));
    return new SecurityFlags(new Security(tls, tokens), rest.toArray(String[]::new));
  }

  private static Optional<Secret> token(Path file, String variable, Map<String, String> environment) {
    if (file != null) {
      return Optional.of(Secret.fromFile(file));
    }
    String value = environment.get(variable);
    return value == null || value.isEmpty()
        ? Optional.empty()
        : Optional.of(Secret.fromEnvironment(variable, value));
  }

}
