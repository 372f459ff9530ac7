package com.bacefook.store.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay that forwards every connection to a target port and records every byte that
 * crosses it, both ways: what an eavesdropper on the wire would see.
 */
final class RecordingRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  RecordingRelay(int targetPort) {
    this.targetPort = targetPort;
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.acceptor = new Thread(this::acceptAll, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Returns {@code 127.0.0.1:<port>} to dial instead of the target. */
  String address() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** Returns everything recorded so far, one byte per character. */
  String recorded() {
    synchronized (recorded) {
      return recorded.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private void acceptAll() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(target);
        pump(client, target);
        pump(target, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                  synchronized (recorded) {
                    recorded.write(buffer, 0, n);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed by the other direction
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sockets.forEach(RecordingRelay::closeQuietly);
  }
}
