package com.bacefook.store.gateway;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;

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

  private WebApp() {}

  /** Returns a configured, not yet started, application over {@code social}. */
  public static Javalin create(SocialService social) {
    JsonCodec json = new JsonCodec();
    ApiRoutes routes = new ApiRoutes(social, json);
    ApiErrors errors = new ApiErrors(json);
    return Javalin.create(
        config -> {
          config.showJavalinBanner = false;
          config.http.maxRequestSize = JsonCodec.MAX_BODY_BYTES;
          config.http.prefer405over404 = true;
          config.staticFiles.add(
              files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
              });
          config.router.mount(
              router -> {
                router.before(WebApp::securityHeaders);
                routes.register(router);
                errors.register(router);
              });
        });
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
  }
}
