package com.bacefook.store.gateway.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the fuzzer's requests, one at a time, each with the {@link Outcome} that {@link
 * SocialModel} predicts for it: mostly one of the API's endpoints with the right method, a body or
 * query string built from valid, almost valid and invalid values and then, now and then, broken
 * (truncated, deeply nested, oversized, not UTF-8, another encoding), with odd headers; sometimes
 * another method or path. Valid IDs in writes come from the worker's pool only (or are sentinels
 * where the write must be refused), so the model stays exact.
 */
final class CaseGenerator {
  /**
   * One request and what may come back.
   *
   * @param jsonAnswer whether a 2xx answer must be JSON
   * @param mayDropConnection whether the gateway may answer before it has read the whole request
   *     and close the connection (the request line or headers exceed Jetty's 8 KiB; or a body over
   *     64 KiB, which it does not read to the end), so that a client still sending may see a reset
   *     instead of the answer
   */
  record FuzzCase(
      String endpoint,
      FuzzRequest request,
      Outcome outcome,
      boolean jsonAnswer,
      boolean mayDropConnection) {}

  /** Jetty's limit for the request line and for the headers. */
  private static final int HEADER_LIMIT = 8 * 1024;

  /** The API, with each endpoint's share of the requests. */
  enum Endpoint {
    GET_ALL_USERS("GET", "/getAllUsers", List.of(), 4),
    ADD_USER("POST", "/addUser", List.of("userId", "userName"), 16),
    ALL_USER_POSTS("GET", "/allUserPosts", List.of(), 12),
    ADD_POST("POST", "/addPost", List.of("postId", "postContent", "userId"), 20),
    DELETE_USER("POST", "/deleteUser", List.of("id"), 5),
    DELETE_POST("POST", "/deletePost", List.of("postId", "userId"), 9),
    QUERY("GET", "/query", List.of(), 3),
    CLUSTER("GET", "/api/cluster", List.of(), 3),
    USER("GET", "/api/user", List.of(), 12),
    FREE_POST_ID("GET", "/api/freePostId", List.of(), 3);

    final String method;
    final String path;
    final List<String> fields;
    final int weight;

    Endpoint(String method, String path, List<String> fields, int weight) {
      this.method = method;
      this.path = path;
      this.fields = fields;
      this.weight = weight;
    }
  }

  private static final int MAX_BODY = 64 * 1024;
  private static final int TOTAL_WEIGHT =
      Arrays.stream(Endpoint.values()).mapToInt(e -> e.weight).sum();
  private static final List<String> METHODS =
      List.of(
          "GET",
          "POST",
          "PUT",
          "DELETE",
          "PATCH",
          "OPTIONS",
          "HEAD",
          "TRACE",
          "FOO",
          "post",
          "get",
          "PROPFIND",
          "M-SEARCH");
  private static final List<String> STATIC_FILES =
      List.of("/", "/index.html", "/js/app.js", "/css/app.css", "/favicon.svg");
  private static final List<String> OTHER_PATHS =
      List.of(
          "/nope",
          "/api",
          "/api/",
          "/api/users",
          "/api/user/user_5",
          "/addUser/extra",
          "/GETALLUSERS",
          "/getallusers",
          "//getAllUsers",
          "/api//user",
          "/getAllUsers;jsessionid=1",
          "/addUser;x=1",
          "/%2e%2e/%2e%2e/etc/passwd",
          "/..%2f..%2fetc%2fpasswd",
          "/%00",
          "/%ff%fe",
          "/%c3%28",
          "/js/..%2f..%2fWEB-INF/web.xml",
          "/WEB-INF/web.xml",
          "/META-INF/MANIFEST.MF",
          "/.git/config",
          "/public/index.html",
          "/js/",
          "/css",
          "/js/nope.js",
          "/index.html%00.js",
          "/%20",
          "/a%2fb",
          "/~root",
          "/api/cluster/../user",
          "/./getAllUsers",
          "/getAllUsers/.",
          "/js/app.js/",
          "/favicon.ico",
          "/a/b/c/d/e/f/g/h");
  private static final List<String> ODD_CONTENT_TYPES =
      List.of(
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "*/*",
          "",
          "a/b/c",
          ";;;",
          "application/json; charset=UTF-16",
          "application/json; charset=iso-8859-1",
          "application/json; charset=nope",
          "application/merge-patch+json",
          "APPLICATION/JSON",
          "application/json;;",
          "text/json");
  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xff},
    {(byte) 0xfe},
    {(byte) 0x80},
    {(byte) 0xbf, 'a'},
    {(byte) 0xc3, '('},
    {(byte) 0xe2, (byte) 0x82},
    {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
    {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
  };

  /** Sequences a lenient decoder may let through: overlong, an encoded surrogate, past U+10FFFF. */
  private static final byte[][] LAX_UTF8 = {
    {(byte) 0xc0, (byte) 0x80},
    {(byte) 0xc1, (byte) 0xbf},
    {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xed, (byte) 0xbf, (byte) 0xbf},
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80}
  };

  private static final String MARK = "\u0001MARK\u0001";

  private final JunkValues junk;
  private final SocialModel model;
  private final List<String> sentinelUsers;
  private final List<String> sentinelPosts;

  CaseGenerator(JunkValues junk, SocialModel model, Sentinels sentinels) {
    this.junk = junk;
    this.model = model;
    this.sentinelUsers = List.copyOf(sentinels.users().keySet());
    List<String> posts = new ArrayList<>();
    sentinels.walls().values().forEach(wall -> posts.addAll(wall.keySet()));
    this.sentinelPosts = List.copyOf(posts);
  }

  FuzzCase next() {
    if (junk.percent(10)) {
      return otherPath();
    }
    int roll = junk.below(TOTAL_WEIGHT);
    Endpoint endpoint = null;
    for (Endpoint e : Endpoint.values()) {
      roll -= e.weight;
      if (roll < 0) {
        endpoint = e;
        break;
      }
    }
    return endpointCase(endpoint);
  }

  // ---- the API's endpoints ----

  private FuzzCase endpointCase(Endpoint endpoint) {
    boolean post = endpoint.method.equals("POST");
    String query;
    Outcome outcome;
    byte[] body = null;
    boolean odd = false;
    if (post) {
      Map<String, String> intent = intent(endpoint);
      Body planned = body(endpoint, intent);
      body = planned.bytes;
      outcome = planned.outcome(values -> writeOutcome(endpoint, values));
      query = junk.oneIn(10) ? junkQuery() : "";
    } else if (endpoint == Endpoint.ALL_USER_POSTS || endpoint == Endpoint.USER) {
      Function<String, Outcome> read = endpoint == Endpoint.USER ? model::user : model::wall;
      Query planned = userIdQuery(read);
      query = planned.text;
      outcome = planned.outcome;
    } else {
      query = junk.oneIn(7) ? junkQuery() : "";
      outcome =
          switch (endpoint) {
            case GET_ALL_USERS -> model.allUsers();
            case QUERY -> model.configuration(true);
            case CLUSTER -> model.configuration(false);
            default -> model.freePostId();
          };
    }
    if (!post && junk.oneIn(25)) {
      body = junkBody(); // a GET's body is never read
    }

    String method = endpoint.method;
    String label = endpoint.method + " " + endpoint.path;
    if (junk.percent(10)) {
      method = otherMethod(endpoint.method);
      label = "(other method) " + endpoint.path;
      if (method.equalsIgnoreCase(endpoint.method)) {
        outcome = outcome.orElse(400, 404, 405, 501); // the same method in lower case
      } else if (method.equals("HEAD") && !post) {
        outcome = Outcome.anyBelow500();
      } else {
        outcome = Outcome.only(405);
      }
    }
    String path = endpoint.path;
    if (junk.oneIn(20)) {
      path += "/";
      outcome = outcome.orElse(404);
    }

    List<Map.Entry<String, String>> headers = new ArrayList<>();
    String type = null;
    if (body != null || junk.oneIn(10)) {
      type = junk.percent(75) ? "application/json" : junk.pick(ODD_CONTENT_TYPES);
      if (junk.oneIn(30)) {
        odd = true; // no Content-Type at all
      } else {
        headers.add(Map.entry("Content-Type", type));
        odd |= !type.equals("application/json");
      }
    }
    if (body != null && body.length <= MAX_BODY && junk.oneIn(25)) {
      headers.add(Map.entry("Content-Encoding", junk.pick("gzip", "deflate", "br", "x-junk")));
      if (junk.oneIn(2)) {
        body = gzip(body);
      }
      odd = true;
    }
    if (odd && post) {
      outcome = outcome.orElse(400, 415);
    }
    String charset = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (!post && charset.contains("charset=") && !charset.contains("charset=utf-8")) {
      // Javalin decodes the query string in the charset the Content-Type names, even on a GET.
      outcome = outcome.orElse(400);
    }
    boolean overLimits = decorate(headers) || query.length() > HEADER_LIMIT;
    if (!List.of("GET", "HEAD", "OPTIONS").contains(method.toUpperCase(Locale.ROOT))
        && headers.stream().anyMatch(h -> h.getKey().equals("Origin"))) {
      // A junk Origin is another site's: the gateway refuses any change it asks for (issue 15).
      outcome = outcome.orElse(403);
    }
    if (overLimits) {
      outcome = Outcome.only(400).orElse(414, 431);
    }
    // Only where the gateway reads the body: JDK 17's HttpClient never completes an exchange whose
    // Expect: 100-continue is answered with a final status instead (the gateway answers promptly).
    boolean expectContinue =
        post
            && body != null
            && body.length <= MAX_BODY
            && method.equals(endpoint.method)
            && path.equals(endpoint.path)
            && !overLimits
            && junk.oneIn(20);
    FuzzRequest request =
        new FuzzRequest(
            method,
            path + query,
            headers,
            body,
            body != null && junk.oneIn(2),
            expectContinue,
            junk.oneIn(30));
    if (post
        && body != null
        && body.length > 0
        && body.length <= MAX_BODY
        && !expectContinue
        && junk.oneIn(50)) {
      // The client breaks off the upload: it gets no answer; the gateway must still not fail.
      request = request.abortingAfter(junk.below(body.length));
    }
    return new FuzzCase(
        label,
        request,
        outcome,
        !method.equals("HEAD"),
        overLimits || (body != null && body.length > MAX_BODY));
  }

  private String otherMethod(String right) {
    List<String> others = new ArrayList<>(METHODS);
    others.remove(right);
    return junk.pick(others);
  }

  /** Adds random extra headers; returns whether they exceed Jetty's 8 KiB of headers. */
  private boolean decorate(List<Map.Entry<String, String>> headers) {
    if (junk.oneIn(12)) {
      headers.add(
          Map.entry(
              "Accept-Encoding",
              junk.pick("gzip", "deflate", "gzip, deflate", "identity", "*", "gzip;q=0", "br")));
    }
    if (junk.oneIn(12)) {
      headers.add(
          Map.entry(
              "Accept",
              junk.pick("text/html", "*/*", "application/xml", "text/plain;q=0", ascii(40))));
    }
    if (junk.oneIn(20)) {
      for (int i = junk.below(3); i >= 0; i--) {
        headers.add(Map.entry("X-Fuzz-" + junk.below(1000), ascii(junk.below(300))));
      }
    }
    if (junk.oneIn(30)) {
      headers.add(
          Map.entry(
              junk.pick(
                  "Cookie",
                  "Authorization",
                  "Origin",
                  "X-Forwarded-For",
                  "Forwarded",
                  "X-Forwarded-Proto",
                  "Referer",
                  "If-None-Match",
                  "If-Modified-Since",
                  "Range"),
              ascii(junk.below(200))));
    }
    if (junk.oneIn(100)) {
      headers.add(Map.entry("X-Fuzz-Huge", ascii(9_000 + junk.below(12_000))));
      return true;
    }
    if (junk.oneIn(150)) {
      for (int i = 0; i < 100; i++) {
        headers.add(Map.entry("X-Fuzz-Many-" + i, ascii(100)));
      }
      return true;
    }
    return false;
  }

  private String ascii(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) (0x20 + junk.below(0x5f)));
    }
    return out.toString().strip().isEmpty() ? "x" + out : out.toString();
  }

  // ---- what a write means to do ----

  /** The string each field of a write is meant to carry. */
  private Map<String, String> intent(Endpoint endpoint) {
    Map<String, String> intent = new LinkedHashMap<>();
    switch (endpoint) {
      case ADD_USER -> {
        intent.put("userId", userIdOrSentinel());
        intent.put("userName", name());
      }
      case ADD_POST -> {
        intent.put("postId", postIdOrSentinel());
        intent.put("postContent", postText());
        intent.put("userId", writerId());
      }
      case DELETE_USER -> intent.put("id", writerId());
      default -> {
        List<String> posts = model.existingPosts();
        if (!posts.isEmpty() && junk.percent(55)) {
          String postId = junk.pick(posts);
          intent.put("postId", postId);
          intent.put("userId", junk.percent(85) ? model.posts().get(postId).author() : writerId());
        } else {
          intent.put("postId", postIdOrSentinel());
          intent.put("userId", writerId());
        }
      }
    }
    return intent;
  }

  private String poolId(String prefix) {
    return prefix + "_" + junk.pick(model.pool());
  }

  /** A user ID of the pool (often an existing user), or junk: never a sentinel. */
  private String writerId() {
    List<String> users = model.existingUsers();
    int roll = junk.below(100);
    if (roll < 55 && !users.isEmpty()) {
      return junk.pick(users);
    }
    return roll < 88 ? poolId("user") : junk.junkId("user");
  }

  private String userIdOrSentinel() {
    int roll = junk.below(100);
    return roll < 75 ? poolId("user") : roll < 85 ? junk.pick(sentinelUsers) : junk.junkId("user");
  }

  private String postIdOrSentinel() {
    int roll = junk.below(100);
    return roll < 75 ? poolId("post") : roll < 85 ? junk.pick(sentinelPosts) : junk.junkId("post");
  }

  private String name() {
    int roll = junk.below(100);
    if (roll < 50) {
      return junk.plainText(1 + junk.below(3));
    }
    if (roll < 60) {
      return junk.pick(" ", "\t", "\n ", "\u3000") + junk.plainText(2) + junk.pick(" ", "\r\n");
    }
    if (roll < 85) {
      return junk.text(120);
    }
    return junk.pick(
        "x".repeat(80),
        "x".repeat(81),
        " ".repeat(1 + junk.below(90)),
        "",
        " " + "y".repeat(80) + " ",
        "z".repeat(79) + "\ud83d\ude00");
  }

  private String postText() {
    int roll = junk.below(100);
    if (roll < 45) {
      return junk.plainText(1 + junk.below(20));
    }
    if (roll < 80) {
      return junk.text(6000);
    }
    if (roll < 90) {
      return junk.pick(
          "p".repeat(5000),
          "p".repeat(5001),
          "\ud83d\ude00".repeat(2500),
          "\ud83d\ude00".repeat(2501),
          "post_1,post_2,",
          "{\"error\":\"not really\"}");
    }
    return junk.pick("", " ", "\n\t ", "\u2003\u3000");
  }

  private Outcome writeOutcome(Endpoint endpoint, Map<String, String> v) {
    return switch (endpoint) {
      case ADD_USER -> model.addUser(v.get("userId"), v.get("userName"));
      case ADD_POST -> model.addPost(v.get("postId"), v.get("postContent"), v.get("userId"));
      case DELETE_USER -> model.deleteUser(v.get("id"));
      default -> model.deletePost(v.get("postId"), v.get("userId"));
    };
  }

  // ---- bodies ----

  /** How a body was made, which decides the outcome. */
  private enum Shape {
    /** Valid JSON: the outcome is the model's for its values (400 if a field is not a string). */
    WELL_FORMED,
    /** JSON a parser may or may not accept (another encoding, a BOM, lax UTF-8): model's or 400. */
    LAX,
    /** Not JSON, or not an object: 400. */
    MALFORMED,
    /** Over the 64 KiB limit: 413. */
    TOO_LARGE
  }

  /**
   * A body; {@code values} holds the string each field carries, or is null if some field is missing
   * or not a string.
   */
  private record Body(
      byte[] bytes, Map<String, String> values, boolean duplicateKeys, Shape shape) {
    Outcome outcome(Function<Map<String, String>, Outcome> model) {
      if (shape == Shape.TOO_LARGE || bytes.length > MAX_BODY) {
        return Outcome.only(413);
      }
      if (shape == Shape.MALFORMED || values == null) {
        return Outcome.only(400);
      }
      // Text with a lone surrogate cannot be stored as sent: the gateway refuses it.
      if (values.values().stream().anyMatch(CaseGenerator::hasLoneSurrogate)) {
        return Outcome.only(400);
      }
      // Duplicate keys: the last one wins in Jackson; a stricter parser would refuse the body.
      return shape == Shape.LAX || duplicateKeys
          ? model.apply(values).orElse(400)
          : model.apply(values);
    }
  }

  /**
   * The members of a JSON object, and the values they give the fields.
   *
   * @param laxKeys whether a key holds a lone surrogate, which Jackson refuses in keys (though not
   *     in values)
   */
  private record Members(
      List<String> parts, Map<String, String> values, boolean duplicateKeys, boolean laxKeys) {}

  private Body body(Endpoint endpoint, Map<String, String> intent) {
    Members members = members(endpoint, intent);
    String text = object(members.parts);
    int roll = junk.below(100);
    if (roll < 4) {
      return oversized(members, text);
    }
    if (roll < 20) {
      return malformed(members, text);
    }
    if (roll < 27) {
      return lax(members, text);
    }
    return new Body(
        utf8(text),
        members.values,
        members.duplicateKeys,
        members.laxKeys ? Shape.LAX : Shape.WELL_FORMED);
  }

  private Members members(Endpoint endpoint, Map<String, String> intent) {
    List<String> parts = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    boolean allStrings = true;
    boolean duplicates = false;
    boolean repeated = false;
    boolean laxKeys = false;
    for (String field : endpoint.fields) {
      String value = junk.jsonString(intent.get(field));
      int roll = junk.below(100);
      if (roll < 76) {
        parts.add(member(key(field), value));
        values.put(field, intent.get(field));
      } else if (roll < 80) {
        allStrings = false; // missing
      } else if (roll < 84) {
        parts.add(member(key(field), "null"));
        allStrings = false;
      } else if (roll < 91) {
        parts.add(member(key(field), junk.wrongTypeValue()));
        allStrings = false;
      } else if (roll < 95) {
        String first =
            junk.oneIn(2)
                ? junk.wrongTypeValue()
                : junk.jsonString(junk.junkId(field.equals("postId") ? "post" : "user"));
        parts.add(member(key(field), first));
        parts.add(member(key(field), value));
        values.put(field, intent.get(field));
        duplicates = true;
        repeated = true;
      } else if (roll < 98) {
        parts.add(member(junk.jsonString(nearKey(field)), value));
        allStrings = false;
      } else {
        parts.add(member(key(field), value));
        parts.add(member(key(field), junk.wrongTypeValue()));
        allStrings = false;
        repeated = true;
      }
    }
    for (int i = junk.oneIn(2) ? 0 : 1 + junk.below(3); i > 0; i--) {
      String name =
          junk.pick(
              "age",
              "",
              "userid",
              "user_id",
              "ID",
              "__proto__",
              "constructor",
              "userName",
              "postId",
              "id",
              junk.text(30));
      if (!endpoint.fields.contains(name)) {
        parts.add(member(junk.jsonString(name), junk.anyValue()));
        laxKeys |= hasLoneSurrogate(name);
      }
    }
    // Shuffled, but never when a key repeats: which of two equal keys comes last decides.
    if (!repeated && junk.percent(30)) {
      for (int i = parts.size() - 1; i > 0; i--) {
        int j = junk.below(i + 1);
        String swap = parts.get(i);
        parts.set(i, parts.get(j));
        parts.set(j, swap);
      }
    }
    return new Members(parts, allStrings ? values : null, duplicates, laxKeys);
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** The field's key, now and then with letters escaped (the same key to a JSON parser). */
  private String key(String field) {
    if (!junk.oneIn(20)) {
      return "\"" + field + "\"";
    }
    StringBuilder out = new StringBuilder("\"");
    for (char c : field.toCharArray()) {
      out.append(junk.oneIn(2) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('"').toString();
  }

  /** A key that looks like the field's but is not. */
  private String nearKey(String field) {
    String key =
        switch (junk.below(7)) {
          case 0 -> Character.toUpperCase(field.charAt(0)) + field.substring(1);
          case 1 -> field.toUpperCase(Locale.ROOT);
          case 2 -> " " + field;
          case 3 -> field + " ";
          case 4 -> field + "\u0000";
          case 5 -> "\ufeff" + field;
          default -> field.replace("Id", "_id");
        };
    return key.equals(field) ? field + "_" : key;
  }

  private String member(String key, String value) {
    return key + junk.blank() + ":" + junk.blank() + value;
  }

  private String object(List<String> parts) {
    StringBuilder out = new StringBuilder(junk.blank()).append('{').append(junk.blank());
    for (int i = 0; i < parts.size(); i++) {
      out.append(i == 0 ? "" : junk.blank() + "," + junk.blank()).append(parts.get(i));
    }
    return out.append(junk.blank()).append('}').append(junk.blank()).toString();
  }

  private Body malformed(Members members, String text) {
    byte[] bytes =
        switch (junk.below(16)) {
          case 0 -> utf8(text.substring(0, junk.below(text.lastIndexOf('}') + 1)));
          case 1 ->
              utf8(
                  text
                      + junk.pick(
                          "}", "]", ",", "x", "{}", "[]", "\"a\"", "null", "0", "//", "/*x*/",
                          "\u0000", text));
          case 2 -> utf8(junk.pick(")]}'\n", "x", ",", "\u0000", "while(1);", "=") + text);
          case 3 -> utf8("[" + text + "]");
          case 4 -> utf8("{\"data\":" + text + "}");
          case 5 ->
              utf8(
                  junk.pick(
                      "\"str\"",
                      "123",
                      "true",
                      "null",
                      "[]",
                      "\"\"",
                      "-0",
                      "[{}]",
                      junk.jsonString(text)));
          case 6 -> utf8(junk.pick("", " ", "\n", "\r\n\t  "));
          case 7 ->
              utf8(
                  junk.pick(
                      "[".repeat(10_000),
                      "{\"a\":".repeat(5_000),
                      JunkValues.nestedArray(1_001 + junk.below(9_000), "1"),
                      JunkValues.nestedArray(999, "{}"),
                      JunkValues.nestedObject(1_001 + junk.below(5_000))));
          case 8 -> utf8(object(with(members.parts, member("\"x\"", junk.invalidValue()))));
          case 9 -> marked(members, junk.pick(BAD_UTF8));
          case 10 ->
              utf8(
                  object(
                      with(
                          members.parts,
                          member("\"x\"", "\"a" + (char) junk.below(0x20) + "b\""))));
          case 11 ->
              utf8(
                  junk.pick(
                      "userId=user_5&userName=x",
                      "a=b",
                      "id=user_7",
                      "--x\r\n"
                          + "Content-Disposition: form-data; name=\"id\"\r\n\r\n"
                          + "user_7\r\n"
                          + "--x--\r\n"));
          case 12 ->
              junk.oneIn(2)
                  ? concat(utf8(")"), junk.bytes(1 + junk.below(300)))
                  : junk.bytes(junk.below(300));
          case 13 -> utf8(text + junk.pick("", "\n", " ") + text);
          case 14 -> utf8(text.replace('"', '\'') + (text.indexOf('"') < 0 ? "x" : ""));
          default -> utf8(junk.oneIn(2) ? "/*c*/" + text : text.replaceFirst("\\{", "{//c\n"));
        };
    return new Body(bytes, null, false, Shape.MALFORMED);
  }

  private Body lax(Members members, String text) {
    byte[] bytes =
        switch (junk.below(4)) {
          case 0 -> concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8(text));
          case 1 ->
              (junk.oneIn(2) ? "\ufeff" + text : text)
                  .getBytes(junk.oneIn(2) ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
          case 2 -> text.getBytes(Charset.forName(junk.oneIn(2) ? "UTF-32BE" : "UTF-32LE"));
          default -> marked(members, junk.pick(LAX_UTF8));
        };
    return new Body(bytes, members.values, members.duplicateKeys, Shape.LAX);
  }

  /** The object with one more string member, whose value is {@code raw} between two letters. */
  private byte[] marked(Members members, byte[] raw) {
    String text = object(with(members.parts, member("\"x\"", "\"a" + MARK + "b\"")));
    int at = text.indexOf(MARK);
    return concat(utf8(text.substring(0, at)), raw, utf8(text.substring(at + MARK.length())));
  }

  private List<String> with(List<String> parts, String extra) {
    List<String> all = new ArrayList<>(parts);
    all.add(junk.below(all.size() + 1), extra);
    return all;
  }

  private Body oversized(Members members, String text) {
    byte[] bytes = utf8(text);
    switch (junk.below(8)) {
      case 0, 1 -> {
        return new Body(
            concat(
                bytes,
                utf8(" ".repeat(Math.max(0, MAX_BODY + 1 + junk.below(5_000) - bytes.length)))),
            null,
            false,
            Shape.TOO_LARGE);
      }
      case 2 -> {
        if (bytes.length > MAX_BODY) {
          return new Body(bytes, null, false, Shape.TOO_LARGE);
        }
        // Exactly at the limit: still read.
        return new Body(
            concat(bytes, utf8(" ".repeat(MAX_BODY - bytes.length))),
            members.values,
            members.duplicateKeys,
            members.laxKeys ? Shape.LAX : Shape.WELL_FORMED);
      }
      case 3 -> {
        String pad = "x".repeat(MAX_BODY + junk.below(200_000));
        List<String> parts = with(members.parts, member("\"pad\"", "\"" + pad + "\""));
        return new Body(utf8(object(parts)), null, false, Shape.TOO_LARGE);
      }
      default -> {
        int size = (1 << 20) + junk.below(4 << 20);
        byte[] huge = new byte[size];
        switch (junk.below(5)) {
          case 0 -> Arrays.fill(huge, (byte) '[');
          case 1 -> Arrays.fill(huge, (byte) 'a');
          case 2 -> System.arraycopy(junk.bytes(size), 0, huge, 0, size);
          case 3 -> {
            byte[] start = utf8("{\"userId\":\"" + poolId("user") + "\",\"userName\":\"");
            Arrays.fill(huge, (byte) 'n');
            System.arraycopy(start, 0, huge, 0, start.length);
            huge[size - 2] = '"';
            huge[size - 1] = '}';
          }
          default -> {} // zeros
        }
        return new Body(huge, null, false, Shape.TOO_LARGE);
      }
    }
  }

  /** A small body of any kind, for requests whose body is never read. */
  private byte[] junkBody() {
    return switch (junk.below(5)) {
      case 0 -> utf8("{\"userId\":\"" + poolId("user") + "\",\"userName\":\"Gus\"}");
      case 1 -> junk.bytes(junk.below(500));
      case 2 -> utf8("[".repeat(10_000));
      case 3 -> new byte[(1 << 20) + junk.below(1 << 20)];
      default -> utf8(junk.invalidValue());
    };
  }

  // ---- query strings ----

  private record Query(String text, Outcome outcome) {}

  /** A query string for an endpoint that reads {@code userId}; {@code read} predicts per value. */
  private Query userIdQuery(Function<String, Outcome> read) {
    int pick = junk.below(100);
    String value =
        pick < 55 ? poolId("user") : pick < 80 ? junk.pick(sentinelUsers) : junk.junkId("user");
    String encoded = junk.percentEncode(value);
    // What the gateway decodes: the UTF-8 bytes of the value (lone surrogates became '?').
    String decoded = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    int roll = junk.below(100);
    if (roll < 55) {
      return new Query("?userId=" + encoded, read.apply(decoded));
    }
    if (roll < 62) {
      String noise = junk.percentEncode(junk.text(20)) + "=" + junk.percentEncode(junk.text(20));
      return new Query(
          junk.oneIn(2) ? "?" + noise + "&userId=" + encoded : "?userId=" + encoded + "&" + noise,
          read.apply(decoded).orElse(400));
    }
    if (roll < 67) {
      return new Query(
          junk.pick("", "?", "?&", "?userId", "?userId=", "?=user_5", "?userId=&userId="),
          Outcome.only(400));
    }
    if (roll < 72) {
      String second = junk.oneIn(2) ? poolId("user") : junk.junkId("user");
      return new Query(
          "?userId=" + encoded + "&userId=" + junk.percentEncode(second),
          read.apply(decoded).orElse(400));
    }
    if (roll < 76) {
      return new Query(
          "?" + junk.percentEncode(nearKey("userId")) + "=" + encoded, Outcome.only(400));
    }
    if (roll < 79) {
      return new Query("?user%49d=" + encoded, read.apply(decoded).orElse(400));
    }
    if (roll < 86) {
      byte[] bytes = junk.bytes(1 + junk.below(50));
      String junkValue = new String(bytes, StandardCharsets.UTF_8);
      return new Query("?userId=" + junk.percentEncode(bytes), read.apply(junkValue).orElse(400));
    }
    if (roll < 89) {
      return new Query("?userId%5B%5D=" + encoded, Outcome.only(400));
    }
    if (roll < 93) {
      return new Query(
          "?userId=" + encoded + "&&&=&=&" + junk.percentEncode(junk.text(10)),
          read.apply(decoded).orElse(400));
    }
    if (roll < 95) {
      return new Query("?userId=" + "a".repeat(9_000 + junk.below(20_000)), Outcome.only(414));
    }
    return new Query(
        "?" + junk.percentEncode(junk.text(200)) + "&userId=" + encoded,
        read.apply(decoded).orElse(400));
  }

  private String junkQuery() {
    return switch (junk.below(6)) {
      case 0 -> "?" + junk.percentEncode(junk.text(100));
      case 1 -> "?userId=" + junk.percentEncode(junk.junkId("user")) + "&userId=user_1";
      case 2 -> "?" + junk.percentEncode(junk.bytes(junk.below(60)));
      case 3 -> "?x=" + "b".repeat(9_000 + junk.below(10_000));
      case 4 -> "?&&==&";
      default -> "?id=" + poolId("user") + "&userName=Eve";
    };
  }

  // ---- other paths ----

  private FuzzCase otherPath() {
    String method = junk.percent(45) ? "GET" : junk.percent(55) ? "POST" : junk.pick(METHODS);
    String path;
    boolean isStatic = false;
    int roll = junk.below(100);
    if (roll < 25) {
      path = junk.pick(STATIC_FILES);
      isStatic = true;
    } else if (roll < 85) {
      path = junk.pick(OTHER_PATHS);
    } else if (roll < 95) {
      path = "/" + junk.percentEncode(junk.text(60));
    } else {
      path = "/" + "p".repeat(9_000 + junk.below(10_000));
    }
    String query = junk.oneIn(4) ? junkQuery() : "";
    byte[] body = method.equals("GET") && !junk.oneIn(10) ? null : junkBody();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (body != null) {
      headers.add(
          Map.entry(
              "Content-Type",
              junk.percent(70) ? "application/json" : junk.pick(ODD_CONTENT_TYPES)));
    }
    if (isStatic && junk.oneIn(4)) {
      headers.add(
          Map.entry(
              "Range",
              junk.pick(
                  "bytes=0-10",
                  "bytes=999999-",
                  "bytes=abc",
                  "bytes=5-1",
                  "bytes=0-0,1-1,2-2",
                  "items=0-1")));
    }
    boolean overLimits = decorate(headers) || path.length() + query.length() > HEADER_LIMIT;
    boolean readsFile = isStatic && (method.equals("GET") || method.equals("HEAD"));
    return new FuzzCase(
        method.equals("GET") || method.equals("POST")
            ? method + (readsFile ? " (static file)" : " (other path)")
            : "(other method) " + (readsFile ? "(static file)" : "(other path)"),
        new FuzzRequest(
            method,
            path + query,
            headers,
            body,
            body != null && junk.oneIn(2),
            false,
            junk.oneIn(30)),
        Outcome.anyBelow500(),
        false,
        overLimits || (body != null && body.length > MAX_BODY));
  }

  // ---- bytes ----

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
