package dev.warden.store;

import dev.warden.kernel.Label;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Label ⇄ JSON, as stored beside every message, memory entry and cron job. */
public final class Labels {
  private Labels() {}

  public static String toJson(Label l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("integrity", l.integrity().name().toLowerCase());
    m.put("confidentiality", l.confidentiality().name().toLowerCase());
    m.put("sources", new ArrayList<>(l.sources()));
    return Json.write(m);
  }

  @SuppressWarnings("unchecked")
  public static Label fromJson(String json) {
    Map<String, Object> m = Json.map(json);
    return new Label(Label.Integrity.valueOf(((String) m.get("integrity")).toUpperCase()),
        Label.Confidentiality.valueOf(((String) m.get("confidentiality")).toUpperCase()),
        new TreeSet<>((List<String>) m.get("sources")));
  }
}
