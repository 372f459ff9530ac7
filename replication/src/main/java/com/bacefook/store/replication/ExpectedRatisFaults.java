package com.bacefook.store.replication;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;

/**
 * A logback filter that drops what Ratis logs, as errors with stack traces, about expected faults:
 * a member stopping or stopped (its peers' calls find it closing), and a connection to a peer that
 * is down (Ratis's Netty client reports each attempt that fails to connect, with a trace, several
 * times a second while the peer is away; the log appender's "Failed to appendEntries" warning says
 * it once per attempt). Everything else passes.
 */
public final class ExpectedRatisFaults extends Filter<ILoggingEvent> {
  private static final Set<String> STOPPING =
      Set.of(
          "org.apache.ratis.protocol.exceptions.ServerNotReadyException",
          "org.apache.ratis.protocol.exceptions.AlreadyClosedException");

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (!event.getLoggerName().startsWith("org.apache.ratis")) {
      return FilterReply.NEUTRAL;
    }
    if (event.getLoggerName().equals("org.apache.ratis.util.LifeCycle")
        && isFailedConnection(event)) {
      return FilterReply.DENY;
    }
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      if (STOPPING.contains(t.getClassName())) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }

  /**
   * Whether a life-cycle event is a connection to a peer that could not be made: a start that
   * failed to connect, or Ratis's Netty client reporting the same start as failed. A member's own
   * server failing to start (its port taken, say) is neither, and passes.
   */
  private static boolean isFailedConnection(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (message == null) {
      return false;
    }
    if (message.startsWith("NettyClient-") && message.contains("(STARTING -> EXCEPTION)")) {
      return true;
    }
    if (!message.contains("Failed to start")) {
      return false;
    }
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      if (t.getClassName().endsWith("ConnectException")) {
        return true;
      }
    }
    return false;
  }
}
