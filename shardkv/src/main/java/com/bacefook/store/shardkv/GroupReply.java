package com.bacefook.store.shardkv;

import com.bacefook.store.rpc.QuietStatusException;
import com.bacefook.store.rpc.Refusals;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What applying a {@link GroupCommand} answered: a status code, its description and, for a refusal,
 * its trailers ({@link Refusals}: not applied, the owner, the configuration). Kept per client in the
 * group's state, so a retried request gets the first answer again.
 */
record GroupReply(Status.Code code, String description, Map<String, String> trailers) {
  static final GroupReply OK = new GroupReply(Status.Code.OK, "");
  private static final List<Metadata.Key<String>> KEPT =
      List.of(Refusals.REFUSED, Refusals.OWNER, Refusals.CONFIG);

  /** Copies {@code trailers}. */
  GroupReply {
    trailers = Map.copyOf(trailers);
  }

  /** A reply without trailers. */
  GroupReply(Status.Code code, String description) {
    this(code, description, Map.of());
  }

  /** The reply that tells a client what {@code e} tells it, with its refusal trailers. */
  static GroupReply of(StatusRuntimeException e) {
    Map<String, String> trailers = new TreeMap<>();
    Metadata metadata = e.getTrailers();
    if (metadata != null) {
      for (Metadata.Key<String> key : KEPT) {
        String value = metadata.get(key);
        if (value != null) {
          trailers.put(key.name(), value);
        }
      }
    }
    String description = e.getStatus().getDescription();
    return new GroupReply(e.getStatus().getCode(), description == null ? "" : description, trailers);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(code.value());
      Codec.writeString(out, description);
      out.writeInt(trailers.size());
      for (Map.Entry<String, String> trailer : new TreeMap<>(trailers).entrySet()) {
        Codec.writeString(out, trailer.getKey());
        Codec.writeString(out, trailer.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes what {@link #encode} made.
   *
   * @throws IllegalArgumentException if {@code bytes} are not a reply
   */
  static GroupReply decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      Status.Code code = Status.fromCodeValue(in.readInt()).getCode();
      String description = Codec.readString(in);
      Map<String, String> trailers = new TreeMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        trailers.put(Codec.readString(in), Codec.readString(in));
      }
      return new GroupReply(code, description, trailers);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated group reply: " + e, e);
    }
  }

  /** Throws this reply's status, with its trailers, unless it is OK. */
  void check() {
    if (code == Status.Code.OK) {
      return;
    }
    Metadata metadata = null;
    if (!trailers.isEmpty()) {
      metadata = new Metadata();
      for (Map.Entry<String, String> trailer : trailers.entrySet()) {
        metadata.put(
            Metadata.Key.of(trailer.getKey(), Metadata.ASCII_STRING_MARSHALLER), trailer.getValue());
      }
    }
    throw new QuietStatusException(Status.fromCode(code).withDescription(description), metadata);
  }
}
