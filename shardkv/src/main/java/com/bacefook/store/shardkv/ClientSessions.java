package com.bacefook.store.shardkv;

import com.google.protobuf.ByteString;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answers a replica group keeps so that each client request is applied once: per client, the
 * answers to its requests numbered from its <em>acknowledged</em> mark up (the client says it holds
 * every answer below that mark, so the group forgets them). A client may have many requests in flight
 * at once; they reach the log in any order. Every member applies the same calls in the same order, so
 * every member keeps the same answers. Not thread-safe: the group's state machine calls it under its
 * lock.
 */
final class ClientSessions {
  /** How many clients' answers are kept; the one heard from least recently goes first. */
  static final int MAX_CLIENTS = 100_000;
  /** How many answers one client may have kept; beyond it its oldest are forgotten. */
  static final int MAX_ANSWERS_PER_CLIENT = 4_096;

  /** What the group knows of one request before applying it. */
  sealed interface Seen permits New, Answered, Forgotten {}

  /** Not seen before: apply it, then {@link #record} its answer. */
  record New() implements Seen {}

  /** Applied before: answer as then. */
  record Answered(byte[] reply) implements Seen {}

  /** Below the client's acknowledged mark: the client holds its answer already, so this is a stray copy. */
  record Forgotten(long acked) implements Seen {}

  private static final New NEW = new New();

  /** One client's mark and kept answers. */
  private static final class Session {
    long acked;
    final TreeMap<Long, byte[]> answers = new TreeMap<>();

    void acknowledge(long mark) {
      if (mark > acked) {
        acked = mark;
        answers.headMap(mark).clear();
      }
    }
  }

  /** Client ID to session, the client heard from least recently first. */
  private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * Notes that client {@code client} holds the answers to all its requests below {@code acked}, and
   * returns what is known of its request {@code seq}.
   */
  Seen see(String client, long seq, long acked) {
    Session session = sessions.get(client);
    if (session == null) {
      return seq < acked ? new Forgotten(acked) : NEW;
    }
    session.acknowledge(acked);
    if (seq < session.acked) {
      return new Forgotten(session.acked);
    }
    byte[] reply = session.answers.get(seq);
    return reply == null ? NEW : new Answered(reply);
  }

  /** Keeps {@code reply}, the answer to request {@code seq} of {@code client} (acknowledged below {@code acked}). */
  void record(String client, long seq, long acked, byte[] reply) {
    Session session = sessions.computeIfAbsent(client, c -> new Session());
    session.acknowledge(acked);
    session.answers.put(seq, reply);
    if (session.answers.size() > MAX_ANSWERS_PER_CLIENT) {
      session.acknowledge(session.answers.firstKey() + 1);
    }
    if (sessions.size() > MAX_CLIENTS) {
      Iterator<String> eldest = sessions.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  /** Returns how many clients have answers kept. */
  int clients() {
    return sessions.size();
  }

  /** Returns how many answers are kept for {@code client}. */
  int answersOf(String client) {
    Session session = sessions.get(client);
    return session == null ? 0 : session.answers.size();
  }

  /** Writes every session, least recently heard first. */
  void write(DataOutputStream out) throws IOException {
    out.writeInt(sessions.size());
    for (Map.Entry<String, Session> entry : sessions.entrySet()) {
      Codec.writeString(out, entry.getKey());
      out.writeLong(entry.getValue().acked);
      out.writeInt(entry.getValue().answers.size());
      for (Map.Entry<Long, byte[]> answer : entry.getValue().answers.entrySet()) {
        out.writeLong(answer.getKey());
        Codec.writeBytes(out, ByteString.copyFrom(answer.getValue()));
      }
    }
  }

  /** Replaces every session with those {@link #write} wrote. */
  void read(DataInputStream in) throws IOException {
    sessions.clear();
    int clients = in.readInt();
    for (int i = 0; i < clients; i++) {
      String client = Codec.readString(in);
      Session session = new Session();
      session.acked = in.readLong();
      int answers = in.readInt();
      for (int j = 0; j < answers; j++) {
        session.answers.put(in.readLong(), Codec.readBytes(in));
      }
      sessions.put(client, session);
    }
  }

  /** Replaces every session with one answer per client, as version 1 snapshots kept them. */
  void readLatestOnly(DataInputStream in) throws IOException {
    sessions.clear();
    int clients = in.readInt();
    for (int i = 0; i < clients; i++) {
      String client = Codec.readString(in);
      long seq = in.readLong();
      Session session = new Session();
      session.answers.put(seq, Codec.readBytes(in));
      sessions.put(client, session);
    }
  }
}
