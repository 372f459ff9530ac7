package com.bacefook.store.cli;

import com.bacefook.store.proto.PutRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The line format of {@code import} and {@code export}: one JSON object per line, {@code
 * {"key":"post_3","value":"hello","user":"user_1"}}; {@code user} is optional (empty: none). Pure.
 */
final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("key", "value", "user");

  private JsonLines() {}

  /**
   * Parses one line into the Put it asks for.
   *
   * @throws IllegalArgumentException saying what is wrong with the line
   */
  static PutRequest parse(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected an object like {\"key\":\"k\",\"value\":\"v\"}");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field \"" + name + "\"; the fields are key, value and user");
      }
    }
    return PutRequest.newBuilder()
        .setKey(text(node, "key", true))
        .setData(text(node, "value", true))
        .setUser(text(node, "user", false))
        .build();
  }

  /** Formats {@code entry} as one line (no line break); {@code user} only when there is one. */
  static String format(PutRequest entry) {
    ObjectNode node = JSON.createObjectNode().put("key", entry.getKey()).put("value", entry.getData());
    if (!entry.getUser().isEmpty()) {
      node.put("user", entry.getUser());
    }
    return node.toString();
  }

  private static String text(JsonNode object, String field, boolean required) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException("missing \"" + field + "\"");
      }
      return "";
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return value.asText();
  }
}
