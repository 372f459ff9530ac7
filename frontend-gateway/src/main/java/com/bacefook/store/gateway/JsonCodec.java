package com.bacefook.store.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.bacefook.store.sharding.Quote;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads request bodies into the records of {@link Requests} and writes responses, strictly: a
 * body larger than {@link #MAX_BODY_BYTES}, not JSON, not an object, missing a field or giving a
 * field the wrong JSON type (a number where text belongs) is refused with a {@link ClientError}
 * naming the field.
 */
public final class JsonCodec {
  /** The largest request body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final ObjectMapper mapper;

  /** Creates a codec with its own strictly configured Jackson mapper. */
  public JsonCodec() {
    this.mapper =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
  }

  /** Reads the body of {@code ctx} as a {@code type}; every field of the record is required. */
  public <T extends Record> T read(Context ctx, Class<T> type) {
    String contentType = ctx.header("Content-Type");
    if (!isJson(contentType)) {
      drain(ctx);
      throw notJson(contentType);
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(utf8(body(ctx)));
    } catch (IOException e) {
      throw ClientError.invalid("the request body is not valid JSON: " + originalMessage(e));
    }
    if (tree == null || tree.isMissingNode()) {
      throw ClientError.invalid("the request body is empty: send a JSON object " + example(type));
    }
    if (!tree.isObject()) {
      throw ClientError.invalid(
          "the request body must be a JSON object " + example(type) + ", not " + describe(tree));
    }
    T value;
    try {
      value = mapper.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      String field = e.getPath().isEmpty() ? "?" : e.getPath().get(0).getFieldName();
      throw ClientError.invalid(
          "field '" + field + "' must be a JSON string, not " + describe(tree.get(field)));
    } catch (JsonProcessingException e) {
      throw ClientError.invalid("the request body is not valid: " + originalMessage(e));
    }
    requireAllFields(value);
    return value;
  }

  /** Answers {@code ctx} with {@code status} and {@code value} as JSON. */
  public void write(Context ctx, HttpStatus status, Object value) {
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
    ctx.status(status).contentType(ContentType.APPLICATION_JSON).result(json);
  }

  /**
   * Returns the refusal of a body not declared as {@code application/json} (UTF-8): a web page of
   * another site can send text/plain or a form without asking first, but not JSON, which needs a
   * CORS preflight.
   */
  private static ClientError notJson(String contentType) {
    return ClientError.notJson(
        "the request body must be sent as 'Content-Type: application/json', not "
            + (contentType == null ? "without a Content-Type" : Quote.of(contentType)));
  }

  /**
   * Reads and drops the body, up to one byte past the limit, whatever it holds: a request refused
   * before its body is read still gets its answer when the client waits for {@code 100 Continue}
   * (JDK 17's HttpClient never completes such an exchange otherwise) or is still sending.
   */
  static void drain(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      // A malformed body: the caller's refusal answers the request either way.
    }
  }

  /** Returns whether {@code contentType} is {@code application/json}, in UTF-8 if it says. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter[0].strip().equalsIgnoreCase("charset")
          && (parameter.length < 2
              || !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"))) {
        return false;
      }
    }
    return true;
  }

  private static byte[] body(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_BODY_BYTES) {
      throw tooLarge(declared);
    }
    // A chunked body declares no length: read one byte past the limit to tell.
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw tooLarge(-1);
      }
      return body;
    } catch (IOException e) {
      throw ClientError.invalid("the request body ended early or is malformed: " + e.getMessage());
    }
  }

  /** Decodes {@code body} as strict UTF-8: overlong forms, surrogates and past-U+10FFFF are refused. */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw ClientError.invalid("the request body is not valid JSON: it is not valid UTF-8");
    }
  }

  /** Refuses text with a lone surrogate escape such as {@code \\ud800}: it cannot be stored as sent. */
  private static void rejectLoneSurrogates(String field, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ClientError.invalid(
            String.format(
                "field '%s' holds a lone surrogate \\u%04x; send valid Unicode", field, (int) c));
      }
    }
  }

  private static ClientError tooLarge(long declared) {
    String size = declared >= 0 ? declared + " bytes" : "more than " + MAX_BODY_BYTES + " bytes";
    return ClientError.tooLarge(
        "the request body is " + size + "; the limit is " + MAX_BODY_BYTES + " bytes");
  }

  private static <T extends Record> void requireAllFields(T value) {
    for (RecordComponent component : value.getClass().getRecordComponents()) {
      Object field;
      try {
        field = component.getAccessor().invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + component, e);
      }
      if (field == null) {
        throw ClientError.invalid(
            "field '" + component.getName() + "' is missing: send " + example(value.getClass()));
      }
      if (field instanceof String text) {
        rejectLoneSurrogates(component.getName(), text);
      }
    }
  }

  /** Returns an example body for {@code type}, like {@code {"userId": "...", "userName": "..."}}. */
  private static String example(Class<?> type) {
    return Arrays.stream(type.getRecordComponents())
        .map(c -> "\"" + c.getName() + "\": \"...\"")
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case STRING -> "a string";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String originalMessage(IOException e) {
    if (e instanceof JsonProcessingException json) {
      String location =
          json.getLocation() == null
              ? ""
              : " (line " + json.getLocation().getLineNr() + ", column "
                  + json.getLocation().getColumnNr() + ")";
      // Jackson names the (redacted) source in its messages: noise to a caller, so it is cut.
      String original = json.getOriginalMessage().replaceAll("Source: REDACTED \\([^)]*\\); ", "");
      return original + location;
    }
    return e.getMessage();
  }
}
