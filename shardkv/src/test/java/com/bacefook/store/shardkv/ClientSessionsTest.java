package com.bacefook.store.shardkv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ClientSessionsTest {
  private final ClientSessions sessions = new ClientSessions();

  private static byte[] reply(long seq) {
    return new byte[] {(byte) seq};
  }

  @Test
  void requestsInFlightTogetherAreEachNewOnceThenAnswered() {
    for (long seq : new long[] {5, 3, 4}) {
      assertThat(sessions.see("c", seq, 3)).isInstanceOf(ClientSessions.New.class);
      sessions.record("c", seq, 3, reply(seq));
    }

    assertThat(sessions.see("c", 3, 3)).isInstanceOfSatisfying(
        ClientSessions.Answered.class, a -> assertThat(a.reply()).isEqualTo(reply(3)));
    assertThat(sessions.answersOf("c")).isEqualTo(3);
  }

  @Test
  void forgetsWhatTheClientAcknowledgedAndCallsLaterCopiesStray() {
    sessions.record("c", 1, 1, reply(1));
    sessions.record("c", 2, 1, reply(2));

    assertThat(sessions.see("c", 3, 2)).isInstanceOf(ClientSessions.New.class);
    assertThat(sessions.answersOf("c")).isEqualTo(1);
    assertThat(sessions.see("c", 1, 1)).isEqualTo(new ClientSessions.Forgotten(2));
    assertThat(sessions.see("other", 4, 7)).as("a new client's request below its own mark")
        .isEqualTo(new ClientSessions.Forgotten(7));
  }

  @Test
  void keepsABoundedNumberOfAnswersPerClient() {
    for (long seq = 1; seq <= ClientSessions.MAX_ANSWERS_PER_CLIENT + 10; seq++) {
      sessions.record("c", seq, 1, reply(seq));
    }

    assertThat(sessions.answersOf("c")).isEqualTo(ClientSessions.MAX_ANSWERS_PER_CLIENT);
    assertThat(sessions.see("c", 1, 1)).isInstanceOf(ClientSessions.Forgotten.class);
  }

  @Test
  void aSnapshotKeepsEveryClientsMarkAndAnswers() throws IOException {
    sessions.record("a", 4, 2, reply(4));
    sessions.record("a", 2, 2, reply(2));
    sessions.record("b", 9, 9, reply(9));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    sessions.write(new DataOutputStream(bytes));

    ClientSessions read = new ClientSessions();
    read.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    assertThat(read.clients()).isEqualTo(2);
    assertThat(read.answersOf("a")).isEqualTo(2);
    assertThat(read.see("a", 1, 0)).isEqualTo(new ClientSessions.Forgotten(2));
    assertThat(read.see("b", 9, 9)).isInstanceOf(ClientSessions.Answered.class);
  }
}
