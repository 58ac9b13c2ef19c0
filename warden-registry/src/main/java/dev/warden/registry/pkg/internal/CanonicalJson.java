package dev.warden.registry.pkg.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.warden.kernel.WardenBugException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON form that is signed and hashed: object keys sorted by their UTF-16 order, no
 * whitespace, integers only, UTF-8. Parsing the canonical bytes and writing them again gives the
 * same bytes, which {@link #requireCanonical} uses to refuse documents that a signer and a verifier
 * could read differently (duplicate keys, reordered keys, padding).
 */
public final class CanonicalJson {
  /** Deepest nesting accepted from untrusted JSON. */
  public static final int MAX_NESTING_DEPTH = 32;

  /** Longest string accepted from untrusted JSON, in characters (base64 archives fit). */
  public static final int MAX_STRING_CHARS = 64 * 1024 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_CHARS)
            .build());
  }

  private CanonicalJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Canonical bytes of a value made of maps, lists, strings, integers, booleans and nulls. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(sorted(value));
    } catch (IOException e) {
      throw new WardenBugException("could not write canonical JSON", e);
    }
  }

  /** Sorted keys, indented, trailing newline: deterministic and readable in a diff. */
  public static byte[] writePretty(Object value) {
    try {
      byte[] body = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(sorted(value));
      byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
      out[body.length] = '\n';
      return out;
    } catch (IOException e) {
      throw new WardenBugException("could not write JSON", e);
    }
  }

  public static JsonNode read(byte[] bytes) throws IOException {
    JsonNode node = MAPPER.readTree(bytes);
    if (node == null) {
      throw new IOException("empty JSON document");
    }
    return node;
  }

  /** Parses and checks that the bytes are already in canonical form. */
  public static JsonNode requireCanonical(byte[] bytes) throws IOException {
    JsonNode node = read(bytes);
    byte[] again = write(MAPPER.convertValue(node, Object.class));
    if (!Arrays.equals(again, bytes)) {
      throw new IOException("JSON is not in canonical form (sorted keys, no whitespace)");
    }
    return node;
  }

  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put((String) k, sorted(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(sorted(v)));
      return out;
    }
    return value;
  }
}
