package com.bacefook.store.gateway;

import com.bacefook.store.gateway.dashboard.DashboardView;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import org.eclipse.jetty.server.ServerConnector;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * Assembles the HTTP application: the web UI's static files from the jar, the JSON API, the error
 * mapping and the headers every answer carries. Starting and stopping is {@link GatewayServer}'s job.
 */
public final class WebApp {
  /**
   * Only this origin's own scripts, styles and images run: even if user text ever reached the page as
   * HTML, no inline script or event handler would execute.
   */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
          + " form-action 'self'";

  /** Where the UI's static files are served (from {@code /public} on the classpath). */
  private static final List<String> STATIC_PATHS =
      List.of("/", "/index.html", "/favicon.svg", "/css/*", "/js/*", "/webjars/*");

  private WebApp() {}

  /**
   * Returns a configured, not yet started, application over {@code social} and the live {@code
   * dashboard}, listening where {@code options} say and refusing what {@code guard} refuses before
   * any handler runs.
   */
  public static Javalin create(
      SocialService social,
      RequestGuard guard,
      Supplier<DashboardView> dashboard,
      GatewayOptions options) {
    JsonCodec json = new JsonCodec();
    ApiRoutes routes = new ApiRoutes(social, dashboard, json);
    ApiErrors errors = new ApiErrors(json);
    GuardHandler guarding = new GuardHandler(guard, json);
    return Javalin.create(
        config -> {
          if (!guard.allowedOrigins().isEmpty()) {
            config.bundledPlugins.enableCors(
                cors -> cors.addRule(rule -> guard.allowedOrigins().forEach(rule::allowHost)));
          }
          config.showJavalinBanner = false;
          config.http.maxRequestSize = JsonCodec.MAX_BODY_BYTES;
          config.http.prefer405over404 = true;
          config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
          config.jetty.addConnector(
              (server, http) -> {
                ServerConnector connector =
                    options.https() == null
                        ? new ServerConnector(server, new RefusedUriConnectionFactory(http))
                        : options.https().connector(server, http, RefusedUriConnectionFactory::new);
                connector.setHost(options.listen());
                connector.setPort(options.port());
                return connector;
              });
          config.staticFiles.enableWebjars();
          config.staticFiles.add(
              files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
              });
          config.router.mount(
              router -> {
                router.before(WebApp::securityHeaders);
                router.before(guarding);
                router.before(RefusedUriConnectionFactory.REFUSED_PATH, WebApp::refuseUri);
                STATIC_PATHS.forEach(path -> router.before(path, WebApp::refuseRanges));
                routes.register(router);
                errors.register(router);
              });
        });
  }

  /**
   * Answers a {@code Range} request for a static file with a complete JSON 416: the UI needs no
   * ranges, and Jetty's own answer to a malformed one announced a body it never sent.
   */
  private static void refuseRanges(Context ctx) {
    if (ctx.header("Range") != null) {
      ctx.status(HttpStatus.RANGE_NOT_SATISFIABLE)
          .contentType(ContentType.APPLICATION_JSON)
          .result("{\"error\":\"range requests are not supported; ask for the whole resource\"}");
      ctx.skipRemainingHandlers();
    }
  }

  /**
   * Answers a request whose target Jetty would have refused (see {@link
   * RefusedUriConnectionFactory}) with a JSON 400, after reading what the client sends of its body
   * (up to the body limit), so that the answer reaches a client still sending.
   */
  private static void refuseUri(Context ctx) {
    try (InputStream body = ctx.req().getInputStream()) {
      body.readNBytes(JsonCodec.MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      // A malformed body: the 400 below answers the request either way.
    }
    ctx.status(HttpStatus.BAD_REQUEST)
        .contentType(ContentType.APPLICATION_JSON)
        .result(
            "{\"error\":\"ambiguous or malformed path (an encoded '.' or '/', a path above the root,"
                + " or bad percent-encoding): write the path plainly\"}");
    ctx.skipRemainingHandlers();
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
  }
}
