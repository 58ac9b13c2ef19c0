package dev.warden.registry.skill;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the host offers to a skill's requirements: executables on {@code PATH}, environment
 * variables, and the operating system. Injected so that gating is testable.
 */
public interface HostEnvironment {

  /** True when an executable of that name is on the host's {@code PATH}. */
  boolean hasBinary(String name);

  /** True when the environment variable is set and non-empty. */
  boolean hasEnv(String name);

  /** The OS in OpenClaw's spelling: {@code linux}, {@code darwin} or {@code win32}. */
  String os();

  /** The real host: this process's {@code PATH}, environment and {@code os.name}. */
  static HostEnvironment system() {
    Map<String, String> env = System.getenv();
    String path = env.getOrDefault("PATH", "");
    String osName = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String os = osName.contains("mac") || osName.contains("darwin") ? "darwin"
        : osName.contains("win") ? "win32" : "linux";
    return new HostEnvironment() {
      @Override
      public boolean hasBinary(String name) {
        if (name.isBlank() || name.contains("/") || name.contains(File.separator)) {
          return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
          if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
            return true;
          }
        }
        return false;
      }

      @Override
      public boolean hasEnv(String name) {
        String v = env.get(name);
        return v != null && !v.isEmpty();
      }

      @Override
      public String os() {
        return os;
      }
    };
  }

  /** A fixed environment, for tests and dry runs. */
  static HostEnvironment of(Set<String> bins, Set<String> env, String os) {
    Set<String> b = Set.copyOf(bins);
    Set<String> e = Set.copyOf(env);
    return new HostEnvironment() {
      @Override
      public boolean hasBinary(String name) {
        return b.contains(name);
      }

      @Override
      public boolean hasEnv(String name) {
        return e.contains(name);
      }

      @Override
      public String os() {
        return os;
      }
    };
  }
}
