package com.bacefook.store.gateway.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Collects what the gateway logs at WARN or above, and Javalin at ERROR, while it is open: each
 * means a 5xx ({@code ApiErrors} logs every one it makes; Javalin logs an exception that escaped
 * the error mapping), even where the client never saw the answer. It reports them grouped by
 * message and exception, with the first stack trace of each.
 */
final class GatewayLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final String GATEWAY = "com.bacefook.store.gateway";
  private static final String JAVALIN = "io.javalin";

  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final Map<String, String> firstTrace = new LinkedHashMap<>();

  private GatewayLog() {}

  /** Starts collecting. */
  static GatewayLog capture() {
    GatewayLog log = new GatewayLog();
    log.setContext(((Logger) LoggerFactory.getLogger(GATEWAY)).getLoggerContext());
    log.start();
    ((Logger) LoggerFactory.getLogger(GATEWAY)).addAppender(log);
    ((Logger) LoggerFactory.getLogger(JAVALIN)).addAppender(log);
    return log;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    Level least = event.getLoggerName().startsWith(JAVALIN) ? Level.ERROR : Level.WARN;
    if (!event.getLevel().isGreaterOrEqual(least)) {
      return;
    }
    String loggerName = event.getLoggerName().substring(event.getLoggerName().lastIndexOf('.') + 1);
    String kind =
        event.getLevel()
            + " ["
            + loggerName
            + "] "
            + event.getFormattedMessage()
            + causes(event.getThrowableProxy());
    counts.merge(kind, 1, Integer::sum);
    firstTrace.putIfAbsent(kind, trace(event.getThrowableProxy()));
  }

  /** One line per kind of WARN or ERROR logged, with its count and its first stack trace. */
  synchronized List<String> problems() {
    List<String> problems = new ArrayList<>();
    counts.forEach(
        (kind, n) -> problems.add("the gateway logged " + n + " x " + kind + firstTrace.get(kind)));
    return problems;
  }

  private static String causes(IThrowableProxy thrown) {
    StringBuilder out = new StringBuilder();
    for (IThrowableProxy t = thrown; t != null; t = t.getCause()) {
      out.append(t == thrown ? ": " : " <- caused by ")
          .append(t.getClassName())
          .append(": ")
          .append(t.getMessage());
    }
    return out.toString();
  }

  private static String trace(IThrowableProxy thrown) {
    if (thrown == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (IThrowableProxy t = thrown; t != null; t = t.getCause()) {
      out.append("\n      ")
          .append(t == thrown ? "" : "Caused by: ")
          .append(t.getClassName())
          .append(": ")
          .append(t.getMessage());
      StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(frames.length, 6); i++) {
        out.append("\n        at ").append(frames[i].getStackTraceElement());
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    ((Logger) LoggerFactory.getLogger(GATEWAY)).detachAppender(this);
    ((Logger) LoggerFactory.getLogger(JAVALIN)).detachAppender(this);
    stop();
  }
}
