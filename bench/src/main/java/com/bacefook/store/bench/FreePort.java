package com.bacefook.store.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP port free on loopback a moment ago; it may be taken before it is used, so callers retry. */
final class FreePort {
  private FreePort() {}

  /** Ports returned before: the system may offer a closed probe's port again at once. */
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  /** Returns a loopback port free a moment ago, never one returned before in this run. */
  static int next() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        if (GIVEN.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
