package dev.warden.monitor.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.kernel.WardenBugException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The monitor's one Jackson mapper (thread-safe once configured). */
public final class MonitorJson {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private MonitorJson() {}

  public static String write(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new WardenBugException("cannot encode " + o.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses a JSON object; throws IllegalArgumentException naming the problem if it is not one. */
  public static Map<String, Object> readMap(String json) {
    try {
      return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code path} like {@code unmapped.warden.seq}; null when any step is missing. */
  public static Object at(Map<String, Object> doc, String path) {
    Object cur = doc;
    for (String step : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(step);
    }
    return cur;
  }
}
