package dev.warden.monitor.snapshot.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jackson readers for the monitor: strict JSON for Warden's own files, lenient JSON5 for others' configs. */
public final class Json {
  private static final ObjectMapper STRICT = new ObjectMapper();
  /** OpenClaw-family configs are JSON5: comments, unquoted keys, single quotes, trailing commas. */
  private static final ObjectMapper JSON5 = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
          JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES,
          JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
          JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS, JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
          JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  public static Map<String, Object> map(String json) throws IOException {
    return STRICT.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  public static List<Object> list(String json) throws IOException {
    return STRICT.readValue(json, new TypeReference<ArrayList<Object>>() {});
  }

  public static Map<String, Object> json5Map(String json5) throws IOException {
    return JSON5.readValue(json5, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  public static Object any(String json) throws IOException {
    return STRICT.readValue(json, Object.class);
  }

  public static String pretty(Object value) {
    try {
      return STRICT.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String compact(Object value) {
    try {
      return STRICT.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
