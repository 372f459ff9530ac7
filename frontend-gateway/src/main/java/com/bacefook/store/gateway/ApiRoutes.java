package com.bacefook.store.gateway;

import com.bacefook.store.gateway.dashboard.DashboardView;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRouting;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The JSON API: each handler reads its input, calls {@link SocialService} and writes the result. The
 * original front end's paths and shapes are kept as they were; {@code /api/...} paths are new.
 */
public final class ApiRoutes {
  private final SocialService social;
  private final Supplier<DashboardView> dashboard;
  private final JsonCodec json;

  /**
   * Creates the handlers over {@code social} and the live {@code dashboard}, reading and writing
   * with {@code json}.
   */
  public ApiRoutes(SocialService social, Supplier<DashboardView> dashboard, JsonCodec json) {
    this.social = social;
    this.dashboard = dashboard;
    this.json = json;
  }

  /** Installs the handlers on {@code router}. */
  public void register(JavalinDefaultRouting router) {
    router.get("/getAllUsers", this::getAllUsers);
    router.post("/addUser", this::addUser);
    router.get("/allUserPosts", this::allUserPosts);
    router.post("/addPost", this::addPost);
    router.post("/deleteUser", this::deleteUser);
    router.post("/deletePost", this::deletePost);
    router.get("/query", this::query);
    router.get("/api/user", this::user);
    router.get("/api/cluster", this::cluster);
    router.get("/api/freePostId", this::freePostId);
    router.get("/api/dashboard", ctx -> json.write(ctx, HttpStatus.OK, dashboard.get()));
  }

  private void getAllUsers(Context ctx) {
    json.write(ctx, HttpStatus.OK, social.allUsers());
  }

  private void addUser(Context ctx) {
    Requests.AddUser body = json.read(ctx, Requests.AddUser.class);
    json.write(ctx, HttpStatus.OK, social.addUser(body.userId(), body.userName()));
  }

  private void allUserPosts(Context ctx) {
    json.write(ctx, HttpStatus.OK, new Views.Posts(social.posts(queryParam(ctx, "userId"))));
  }

  private void addPost(Context ctx) {
    Requests.AddPost body = json.read(ctx, Requests.AddPost.class);
    json.write(
        ctx, HttpStatus.OK, social.addPost(body.postId(), body.postContent(), body.userId()));
  }

  private void deleteUser(Context ctx) {
    social.deleteUser(json.read(ctx, Requests.DeleteUser.class).id());
    ctx.status(HttpStatus.NO_CONTENT);
  }

  private void deletePost(Context ctx) {
    Requests.DeletePost body = json.read(ctx, Requests.DeletePost.class);
    social.deletePost(body.postId(), body.userId());
    ctx.status(HttpStatus.NO_CONTENT);
  }

  private void query(Context ctx) {
    json.write(ctx, HttpStatus.OK, Views.Query.of(social.configuration()));
  }

  private void user(Context ctx) {
    json.write(ctx, HttpStatus.OK, social.user(queryParam(ctx, "userId")));
  }

  private void cluster(Context ctx) {
    json.write(ctx, HttpStatus.OK, Views.Cluster.of(social.configuration()));
  }

  private void freePostId(Context ctx) {
    json.write(ctx, HttpStatus.OK, new Views.FreePostId(social.freePostId()));
  }

  /**
   * Returns the first value of query parameter {@code name}, always decoded as UTF-8 (Javalin would
   * use the charset of the request's Content-Type, which has nothing to do with its URL).
   */
  private static String queryParam(Context ctx, String name) {
    String value = null;
    String query = ctx.queryString();
    if (query != null) {
      for (String pair : query.split("&")) {
        int equals = pair.indexOf('=');
        String key = equals < 0 ? pair : pair.substring(0, equals);
        if (decode(key).equals(name)) {
          value = equals < 0 ? "" : decode(pair.substring(equals + 1));
          break;
        }
      }
    }
    if (value == null || value.isEmpty()) {
      throw ClientError.invalid(
          "query parameter '" + name + "' is missing: add ?" + name + "=user_<N>");
    }
    return value;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid("the query string is not valid URL encoding");
    }
  }
}
