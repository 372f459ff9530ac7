package com.bacefook.store.replication;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import java.net.BindException;
import java.net.ConnectException;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.junit.jupiter.api.Test;

class ExpectedRatisFaultsTest {
  private final LoggerContext context = new LoggerContext();
  private final ExpectedRatisFaults filter = new ExpectedRatisFaults();

  private FilterReply decide(String logger, Level level, String message, Throwable thrown) {
    return filter.decide(
        new LoggingEvent(
            ExpectedRatisFaultsTest.class.getName(),
            context.getLogger(logger),
            level,
            message,
            thrown,
            null));
  }

  @Test
  void dropsAFailedConnectionToAPeerThatIsDown() {
    String lifeCycle = "org.apache.ratis.util.LifeCycle";

    assertThat(
            decide(lifeCycle, Level.ERROR, "NettyClient-127.0.0.1:7101 has failed (STARTING -> EXCEPTION)",
                new Throwable("TRACE")))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(lifeCycle, Level.WARN, "s3|127.0.0.1:7101: Failed to start (state=STARTING)",
                new ConnectException("Connection refused: /127.0.0.1:7101")))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(lifeCycle, Level.WARN, "s1: Failed to start (state=STARTING)",
                new BindException("Address already in use")))
        .as("a member's own server that cannot bind its port")
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(lifeCycle, Level.INFO, "s1: changes from NEW to STARTING", null))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void dropsWhatAStoppingMemberCausesAndKeepsEverythingElse() {
    assertThat(
            decide("org.apache.ratis.server.impl.RaftServerImpl", Level.ERROR, "failed",
                new RuntimeException(new AlreadyClosedException("closing"))))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide("org.apache.ratis.server.impl.RaftServerImpl", Level.ERROR, "failed",
                new IllegalStateException("a real failure")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("com.bacefook.store.Anything", Level.ERROR, "Failed to start", null))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
