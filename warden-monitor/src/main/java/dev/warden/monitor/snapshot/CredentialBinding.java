package dev.warden.monitor.snapshot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A credential as a snapshot records it: its name and where it may be used, never its value.
 *
 * @param name the credential's name ({@code wdn-cred:NAME})
 * @param hosts the hosts it is bound to (empty when unknown)
 * @param scopes the scopes attached to it (empty when none or unknown)
 * @param note where the information came from (e.g. that only vault file names were readable)
 */
public record CredentialBinding(String name, List<String> hosts, List<String> scopes, String note) {
  public CredentialBinding {
    Objects.requireNonNull(name, "name");
    hosts = List.copyOf(hosts);
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(note, "note");
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("hosts", hosts);
    m.put("scopes", scopes);
    m.put("note", note);
    return m;
  }
}
