package dev.warden.registry.client;

import dev.warden.registry.tlog.SignedTreeHead;
import java.util.List;
import java.util.Map;

/**
 * The result of reading a registry's whole log. {@code conflicts} maps {@code skill@version} to the
 * different manifest hashes logged for it: an honest registry never logs two (a version is
 * immutable), so any conflict means some users were served different content for the same
 * version.
 */
public record LogAudit(SignedTreeHead head, long entries, Map<String, List<String>> conflicts) {
  public LogAudit {
    conflicts = Map.copyOf(conflicts);
  }

  public boolean clean() {
    return conflicts.isEmpty();
  }
}
