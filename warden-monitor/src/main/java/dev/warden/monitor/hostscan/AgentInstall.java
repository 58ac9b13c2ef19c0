package dev.warden.monitor.hostscan;

import java.util.Map;
import java.util.Objects;

/**
 * Something agent-shaped found on the host.
 *
 * @param id stable within one report ({@code state:/home/alice/.openclaw})
 * @param kind what was found
 * @param product {@code openclaw}, {@code moltbot}, {@code clawdbot} or {@code warden}
 * @param location path on the scanned host (or {@code pid 1234}, {@code tcp 0.0.0.0:18789})
 * @param userOrNull the owning user when known
 * @param facts short key/value observations (version, bind, pid, container id)
 */
public record AgentInstall(String id, Kind kind, String product, String location, String userOrNull,
    Map<String, String> facts) {

  /** What kind of thing was found. */
  public enum Kind {
    STATE_DIRECTORY,
    NPM_GLOBAL_INSTALL,
    GATEWAY_PROCESS,
    AGENT_PROCESS,
    LISTENING_PORT,
    WARDEN_HOME
  }

  public AgentInstall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(location, "location");
    facts = Map.copyOf(facts);
  }
}
