package com.bacefook.store.security;

import com.bacefook.store.rpc.ChannelFactory;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a process secures its gRPC traffic: TLS material (or none: plain text) and the tokens it holds.
 * Servers take their credentials and token interceptor from it, and every process its channels.
 *
 * @param tls certificates and CA, or empty for plain text
 * @param tokens the tokens held (checked by a server, sent by a client)
 */
public record Security(Optional<TlsFiles> tls, Tokens tokens) {
  /** Plain text and no tokens: the open quick-start default. */
  public static final Security NONE = new Security(Optional.empty(), Tokens.NONE);

  /** Returns the credentials a server listens with: TLS requiring a client certificate, or plain text. */
  public ServerCredentials serverCredentials() {
    return tls.map(TlsFiles::serverCredentials).orElseGet(InsecureServerCredentials::create);
  }

  /** Returns the interceptor that refuses calls without the token their method needs. */
  public ServerInterceptor interceptor() {
    return new TokenInterceptor(tokens);
  }

  /**
   * Returns the credentials of this process's channels: TLS (or plain text) plus the bearer token each
   * method needs.
   */
  public ChannelCredentials channelCredentials() {
    ChannelCredentials transport =
        tls.map(TlsFiles::channelCredentials).orElseGet(InsecureChannelCredentials::create);
    return tokens.isEmpty()
        ? transport
        : CompositeChannelCredentials.create(transport, new BearerCredentials(tokens));
  }

  /** Returns a factory of channels with {@link #channelCredentials()}. */
  public ChannelFactory channelFactory() {
    return ChannelFactory.secured(channelCredentials(), ChannelFactory.DEFAULT_MAX_INBOUND_BYTES);
  }

  /**
   * Returns the one WARN line a server listening on all interfaces (as the shardmaster and shardkv
   * mains do) prints when something is open, like {@code "shardkv a:1 listens on all interfaces with no
   * TLS (traffic in plain text); open admin RPCs ..."}, or empty if nothing is open.
   */
  public Optional<String> exposureWarning(String who) {
    List<String> open = new ArrayList<>();
    if (tls.isEmpty()) {
      open.add("no TLS (traffic in plain text, no client certificates)");
    }
    open.addAll(tokens.openings().stream().map(o -> "open " + o).toList());
    if (open.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(who + " listens on all interfaces with " + String.join("; ", open)
        + " (see the README's Security section)");
  }
}
