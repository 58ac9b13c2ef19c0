package dev.warden.agent.skills;

import dev.warden.agent.config.ConfigException;
import dev.warden.registry.pkg.ScanVerdict;
import dev.warden.registry.skill.CredentialPermission;
import dev.warden.registry.skill.OwnerGrants;
import dev.warden.registry.trust.TrustStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The skill settings of {@code warden.yaml}:
 *
 * <pre>
 * registry: http://127.0.0.1:8790          # the default registry for install_skill / warden skills install
 * skills:
 *   trust: tofu                            # tofu (pin a publisher's first key, warn loudly) | explicit
 *   max_verdict: clean                     # worst scanner verdict released from quarantine: clean | suspicious
 *   allowed_registries: [https://reg.example]   # more registries installs may come from
 *   grants:                                # what skills may get at most (intersected with each manifest)
 *     network: [api.example.com, "*.example.org"]
 *     credentials: [{name: GITHUB_TOKEN, scopes: ["*"]}, OTHER]
 *     executables: ["*"]                   # "*" = whatever the skill declares
 *     tools: [web_fetch]
 * </pre>
 *
 * Deny by default: no grants means skill scripts run with no network and no credentials, and a
 * skill declaring executables still needs {@code executables} granted.
 */
public record SkillSettings(URI registryOrNull, List<URI> allowedRegistries, TrustStore.Mode trustMode,
    ScanVerdict maxVerdict, OwnerGrants grants, boolean allExecutables) {

  public SkillSettings {
    allowedRegistries = List.copyOf(allowedRegistries);
  }

  public static SkillSettings defaults() {
    return new SkillSettings(null, List.of(), TrustStore.Mode.TRUST_ON_FIRST_USE, ScanVerdict.CLEAN, OwnerGrants.NONE, false);
  }

  /** Every registry an install may come from: the default one first. */
  public List<URI> registries() {
    List<URI> all = new ArrayList<>();
    if (registryOrNull != null) {
      all.add(registryOrNull);
    }
    all.addAll(allowedRegistries);
    return all;
  }

  /** What a skill may get at most: {@code grants}, with {@code executables: ["*"]} expanded to {@code declared}. */
  public OwnerGrants grantsFor(Set<String> declaredExecutables) {
    if (!allExecutables) {
      return grants;
    }
    return new OwnerGrants(grants.networkHosts(), grants.credentials(), declaredExecutables, grants.readPaths(),
        grants.writePaths(), grants.tools());
  }

  /** Reads the settings from warden.yaml's top-level map. */
  public static SkillSettings from(Map<String, Object> raw) throws ConfigException {
    URI registry = null;
    if (raw.get("registry") instanceof String s && !s.isBlank()) {
      registry = uri(s, "registry");
    }
    Object skillsObj = raw.getOrDefault("skills", Map.of());
    if (!(skillsObj instanceof Map<?, ?> skills)) {
      throw new ConfigException("warden.yaml: skills must be a map (trust, max_verdict, allowed_registries, grants), got: " + skillsObj);
    }
    TrustStore.Mode mode = switch (String.valueOf(skills.get("trust") == null ? "tofu" : skills.get("trust")).toLowerCase(Locale.ROOT)) {
      case "tofu", "trust_on_first_use" -> TrustStore.Mode.TRUST_ON_FIRST_USE;
      case "explicit", "explicit_only" -> TrustStore.Mode.EXPLICIT_ONLY;
      default -> throw new ConfigException("warden.yaml: skills.trust must be tofu or explicit, got: " + skills.get("trust"));
    };
    ScanVerdict max;
    try {
      max = ScanVerdict.valueOf(String.valueOf(skills.get("max_verdict") == null ? "clean" : skills.get("max_verdict")).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("warden.yaml: skills.max_verdict must be clean or suspicious, got: " + skills.get("max_verdict"));
    }
    List<URI> allowed = new ArrayList<>();
    for (String s : strings(skills.get("allowed_registries"), "skills.allowed_registries")) {
      allowed.add(uri(s, "skills.allowed_registries"));
    }
    Object g = skills.get("grants") == null ? Map.of() : skills.get("grants");
    if (!(g instanceof Map<?, ?> grants)) {
      throw new ConfigException("warden.yaml: skills.grants must be a map (network, credentials, executables, files, tools)");
    }
    Set<CredentialPermission> creds = new LinkedHashSet<>();
    Object c = grants.get("credentials");
    if (c instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String name) {
          creds.add(CredentialPermission.of(name, "*"));
        } else if (o instanceof Map<?, ?> m && m.get("name") instanceof String name) {
          List<String> scopes = strings(m.get("scopes"), "skills.grants.credentials.scopes");
          creds.add(CredentialPermission.of(name, scopes.isEmpty() ? new String[] {"*"} : scopes.toArray(String[]::new)));
        } else {
          throw new ConfigException("warden.yaml: skills.grants.credentials entries are a name or {name, scopes}, got: " + o);
        }
      }
    } else if (c != null) {
      throw new ConfigException("warden.yaml: skills.grants.credentials must be a list");
    }
    Set<String> exes = new LinkedHashSet<>(strings(grants.get("executables"), "skills.grants.executables"));
    boolean allExes = exes.remove("*");
    Set<String> read = Set.of();
    Set<String> write = Set.of();
    if (grants.get("files") instanceof Map<?, ?> files) {
      read = new LinkedHashSet<>(strings(files.get("read"), "skills.grants.files.read"));
      write = new LinkedHashSet<>(strings(files.get("write"), "skills.grants.files.write"));
    }
    OwnerGrants owner;
    try {
      owner = new OwnerGrants(new LinkedHashSet<>(strings(grants.get("network"), "skills.grants.network")), creds, exes, read, write,
          new LinkedHashSet<>(strings(grants.get("tools"), "skills.grants.tools")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("warden.yaml: skills.grants: " + e.getMessage());
    }
    return new SkillSettings(registry, allowed, mode, max, owner, allExes);
  }

  private static URI uri(String s, String key) throws ConfigException {
    try {
      URI u = URI.create(s.strip());
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        throw new IllegalArgumentException("scheme must be http or https");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("warden.yaml: " + key + " must be an http(s) URL, got '" + s + "': " + e.getMessage());
    }
  }

  private static List<String> strings(Object o, String key) throws ConfigException {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?> list)) {
      throw new ConfigException("warden.yaml: " + key + " must be a list of strings, got: " + o);
    }
    List<String> out = new ArrayList<>();
    for (Object x : list) {
      out.add(String.valueOf(x));
    }
    return out;
  }
}
