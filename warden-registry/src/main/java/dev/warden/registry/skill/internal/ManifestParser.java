package dev.warden.registry.skill.internal;

import dev.warden.registry.skill.CredentialPermission;
import dev.warden.registry.skill.PermissionManifest;
import dev.warden.registry.skill.SkillFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a permission manifest from YAML ({@code metadata.warden} or a sidecar {@code warden.yaml}).
 * Strict: an unknown key is an error rather than silently meaning nothing, so a typo like
 * {@code netwrok} is caught by the author instead of puzzling them at run time.
 */
public final class ManifestParser {
  static final Set<String> KEYS = Set.of("network", "credentials", "executables", "files", "tools");

  private ManifestParser() {}

  public static PermissionManifest parse(Object yaml, Path file, int line) throws SkillFormatException {
    if (yaml == null) {
      return PermissionManifest.NONE;
    }
    if (!(yaml instanceof Map<?, ?>)) {
      throw new SkillFormatException(file, line, "the Warden permission manifest must be a mapping with keys " + KEYS);
    }
    Map<String, Object> m = Yaml.map(yaml);
    for (String k : m.keySet()) {
      if (!KEYS.contains(k)) {
        throw new SkillFormatException(file, line, "unknown permission manifest key '" + k + "'; allowed keys: "
            + KEYS + " (see docs/skills.md)");
      }
    }
    List<CredentialPermission> creds = new ArrayList<>();
    for (Object c : Yaml.list(m.get("credentials"))) {
      if (c instanceof Map<?, ?> cm) {
        Map<String, Object> cmap = Yaml.map(cm);
        String name = Yaml.string(cmap.get("name"));
        if (name.isBlank()) {
          throw new SkillFormatException(file, line, "a credential entry needs a 'name' (and optional 'scopes'): " + c);
        }
        creds.add(new CredentialPermission(name.strip(), Set.copyOf(Yaml.strings(cmap.get("scopes")))));
      } else if (c != null && !String.valueOf(c).isBlank()) {
        creds.add(CredentialPermission.of(String.valueOf(c).strip()));
      }
    }
    Object filesObj = m.get("files");
    if (filesObj != null && !(filesObj instanceof Map<?, ?>)) {
      throw new SkillFormatException(file, line, "manifest 'files' must be a mapping {read: [...], write: [...]}");
    }
    Map<String, Object> files = Yaml.map(filesObj);
    for (String k : files.keySet()) {
      if (!k.equals("read") && !k.equals("write")) {
        throw new SkillFormatException(file, line, "manifest 'files' accepts only 'read' and 'write', got '" + k + "'");
      }
    }
    try {
      return new PermissionManifest(
          Set.copyOf(Yaml.strings(m.get("network"))),
          Set.copyOf(creds),
          Set.copyOf(Yaml.strings(m.get("executables"))),
          Set.copyOf(Yaml.strings(files.get("read"))),
          Set.copyOf(Yaml.strings(files.get("write"))),
          Set.copyOf(Yaml.strings(m.get("tools"))));
    } catch (IllegalArgumentException e) {
      throw new SkillFormatException(file, line, "invalid permission manifest: " + e.getMessage());
    }
  }
}
