package dev.warden.agent.model.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON mapper for provider traffic, with read bounds for untrusted input. */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(Limits.MAX_JSON_NESTING_DEPTH)
          .maxStringLength(Limits.MAX_STREAM_BYTES > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Limits.MAX_STREAM_BYTES)
          .maxNumberLength(200)
          .build())
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static JsonNode parse(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise to JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A JSON object node as a plain map of JSON-shaped values. */
  public static Map<String, Object> toMap(JsonNode node) {
    return MAPPER.convertValue(node, MAP);
  }

  /** Parses a JSON object; empty or blank text is the empty object. */
  public static Map<String, Object> parseObject(String text) throws JsonProcessingException {
    if (text == null || text.isBlank()) {
      return new LinkedHashMap<>();
    }
    JsonNode node = MAPPER.readTree(text);
    if (node == null || !node.isObject()) {
      throw new JsonProcessingException("expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType())) {};
    }
    return toMap(node);
  }
}
