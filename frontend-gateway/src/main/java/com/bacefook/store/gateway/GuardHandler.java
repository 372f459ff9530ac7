package com.bacefook.store.gateway;

import com.bacefook.store.sharding.Quote;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RequestGuard} before every handler: a refused request gets a JSON error (421 for a
 * foreign Host, 403 for a cross-site write) and reaches nothing else. Each foreign host name is
 * logged once, at WARN, so an attack is visible without flooding the log.
 */
final class GuardHandler implements Handler {
  private static final Logger log = LoggerFactory.getLogger(GuardHandler.class);
  /** Foreign host names remembered for "log once"; beyond this many, refusals are not logged. */
  private static final int MAX_LOGGED_HOSTS = 1000;

  private final RequestGuard guard;
  private final JsonCodec json;
  private final Set<String> loggedHosts = ConcurrentHashMap.newKeySet();

  GuardHandler(RequestGuard guard, JsonCodec json) {
    this.guard = guard;
    this.json = json;
  }

  @Override
  public void handle(Context ctx) {
    guard
        .check(
            ctx.method().name(),
            ctx.header("Host"),
            ctx.header("Origin"),
            ctx.header("Sec-Fetch-Site"))
        .ifPresent(verdict -> refuse(ctx, verdict));
  }

  private void refuse(Context ctx, RequestGuard.Verdict verdict) {
    HttpStatus status =
        verdict.refusal() == RequestGuard.Refusal.FOREIGN_HOST
            ? HttpStatus.MISDIRECTED_REQUEST
            : HttpStatus.FORBIDDEN;
    if (verdict.refusal() == RequestGuard.Refusal.FOREIGN_HOST) {
      String host = Quote.of(ctx.header("Host"));
      if (loggedHosts.size() < MAX_LOGGED_HOSTS && loggedHosts.add(host)) {
        log.warn(
            "refused requests for foreign host {} from {} (DNS rebinding? --allow-host NAME"
                + " allows a name)",
            host,
            ctx.ip());
      }
    }
    JsonCodec.drain(ctx);
    json.write(ctx, status, new Views.ErrorBody(verdict.message()));
    ctx.skipRemainingHandlers();
  }
}
