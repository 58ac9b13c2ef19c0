package dev.warden.registry.skill;

import java.util.ArrayList;
import java.util.List;

/**
 * What changes between two versions of a skill's manifest. {@code added} is what an update asks
 * for beyond the installed version (a new host, credential, credential scope, executable, path or
 * tool); an update whose diff {@link #grows()} needs the owner's approval.
 */
public record PermissionDiff(PermissionManifest added, PermissionManifest removed) {

  /** True when the newer manifest asks for anything the older one did not have. */
  public boolean grows() {
    return !added.isEmpty();
  }

  /** One line per change, {@code + network api.example.com}, for approval prompts. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines(lines, "+ ", added);
    lines(lines, "- ", removed);
    return List.copyOf(lines);
  }

  private static void lines(List<String> out, String sign, PermissionManifest m) {
    m.networkHosts().forEach(h -> out.add(sign + "network " + h));
    m.credentials().forEach(c -> out.add(sign + "credential " + c));
    m.executables().forEach(e -> out.add(sign + "executable " + e));
    m.readPaths().forEach(p -> out.add(sign + "read " + p));
    m.writePaths().forEach(p -> out.add(sign + "write " + p));
    m.tools().forEach(t -> out.add(sign + "tool " + t));
  }
}
