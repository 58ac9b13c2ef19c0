package dev.warden.registry.pkg;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/** Where a package came from: a registry or a local file. Recorded in {@code skills.lock}. */
public sealed interface SkillSource {
  /** Stable text form: {@code registry:<url>} or {@code local:<absolute path>}. */
  String describe();

  record Registry(URI registry, String slug, String version) implements SkillSource {
    public Registry {
      Objects.requireNonNull(registry, "registry");
      PackageManifest.requireName(slug);
      PackageManifest.requireVersion(version);
    }

    public String describe() {
      return "registry:" + InstallPolicy.normalize(registry);
    }
  }

  record LocalPath(Path path) implements SkillSource {
    public LocalPath {
      path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    }

    public String describe() {
      return "local:" + path;
    }
  }
}
