package dev.warden.registry.skill;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code metadata.openclaw.install[]}: how a prerequisite can be installed (brew
 * formula, node package, go module, uv tool, or a plain download). Warden never runs these itself;
 * they are shown to the owner and read by the scanner (a {@code download} without a pinned
 * {@code sha256} is a finding).
 *
 * @param id the entry's id, or "" when absent
 * @param kind brew, node, go, uv, download, … ("" when absent)
 * @param label text shown to people
 * @param target the formula, package, module or URL the entry installs ("" when absent)
 * @param sha256OrNull the pinned digest of a download, if any
 * @param bins executables the entry provides
 * @param os operating systems the entry applies to (empty: all)
 * @param raw every field as written, for display
 */
public record InstallSpec(
    String id,
    String kind,
    String label,
    String target,
    String sha256OrNull,
    List<String> bins,
    List<String> os,
    Map<String, Object> raw) {
  public InstallSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(target, "target");
    bins = List.copyOf(bins);
    os = List.copyOf(os);
    raw = Map.copyOf(raw);
  }

  /** True for entries that fetch a URL rather than using a package manager. */
  public boolean isDownload() {
    return kind.equals("download") || target.startsWith("http://") || target.startsWith("https://");
  }
}
