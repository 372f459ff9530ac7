package com.bacefook.store.replication;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;

/**
 * A logback filter that drops what Ratis logs as an error when a member is stopping or stopped (its
 * peers' calls find it closing): an expected fault, not a failure. Everything else passes.
 */
public final class StoppingMemberNoise extends Filter<ILoggingEvent> {
  private static final Set<String> STOPPING =
      Set.of(
          "org.apache.ratis.protocol.exceptions.ServerNotReadyException",
          "org.apache.ratis.protocol.exceptions.AlreadyClosedException");

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (!event.getLoggerName().startsWith("org.apache.ratis")) {
      return FilterReply.NEUTRAL;
    }
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      if (STOPPING.contains(t.getClassName())) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
