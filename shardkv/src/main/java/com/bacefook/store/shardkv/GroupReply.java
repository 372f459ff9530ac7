package com.bacefook.store.shardkv;

import com.bacefook.store.rpc.QuietStatusException;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What applying a {@link GroupCommand} answered: a status code and its description. Kept per client
 * in the group's state, so a retried request gets the first answer again.
 */
record GroupReply(Status.Code code, String description) {
  static final GroupReply OK = new GroupReply(Status.Code.OK, "");

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(code.value());
      Codec.writeString(out, description);
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
      return new GroupReply(Status.fromCodeValue(in.readInt()).getCode(), Codec.readString(in));
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated group reply: " + e, e);
    }
  }

  /** Throws this reply's status unless it is OK. */
  void check() {
    if (code != Status.Code.OK) {
      throw new QuietStatusException(Status.fromCode(code).withDescription(description), null);
    }
  }
}
