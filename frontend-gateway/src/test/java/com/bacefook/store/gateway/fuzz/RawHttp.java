package com.bacefook.store.gateway.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 by hand over a socket to 127.0.0.1, for what {@link java.net.http.HttpClient} will not
 * send: a body shorter than its Content-Length, broken chunk framing, a malformed header. Reads the
 * answer until the server closes the connection or the deadline passes.
 */
public final class RawHttp {
  /** At most this much of an answer is read. */
  private static final int MAX_ANSWER = 1 << 20;

  /**
   * An answer as it came over the wire.
   *
   * @param status 0 if no status line arrived
   * @param headers names in lower case
   * @param body every byte after the headers
   * @param closed whether the server closed the connection before the deadline
   */
  public record Answer(int status, Map<String, String> headers, byte[] body, boolean closed, String raw) {
    /** Returns header {@code name}, or empty. */
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }

    /** Returns the body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The Content-Length the server declared, or -1. */
    long declaredLength() {
      String value = header("Content-Length");
      return value.isEmpty() ? -1 : Long.parseLong(value.strip());
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code request} as is, then closes the sending half of the connection (so the server sees
   * the end of the request), and reads the answer.
   */
  public static Answer exchange(int port, byte[] request, Duration deadline) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      long giveUpAt = System.nanoTime() + deadline.toNanos();
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      socket.shutdownOutput();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      boolean closed = false;
      while (answer.size() < MAX_ANSWER) {
        long leftMs = (giveUpAt - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
          break;
        }
        socket.setSoTimeout((int) Math.min(leftMs, Integer.MAX_VALUE));
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          break;
        } catch (IOException e) {
          closed = true; // reset by the server
          break;
        }
        if (n < 0) {
          closed = true;
          break;
        }
        answer.write(buffer, 0, n);
      }
      return parse(answer.toByteArray(), closed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code request} (ISO-8859-1) as is and reads the answer. */
  public static Answer exchange(int port, String request, Duration deadline) {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), deadline);
  }

  private static Answer parse(byte[] bytes, boolean closed) {
    String raw = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.") || end < 0) {
      return new Answer(0, Map.of(), bytes, closed, raw);
    }
    String[] lines = raw.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    return new Answer(
        status, headers, Arrays.copyOfRange(bytes, end + 4, bytes.length), closed, raw);
  }
}
