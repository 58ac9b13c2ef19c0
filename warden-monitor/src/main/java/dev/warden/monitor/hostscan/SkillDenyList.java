package dev.warden.monitor.hostscan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Known-bad skill file hashes: a small built-in seed ({@code known-bad-skills.txt}) plus any file
 * the operator passes. Line format: {@code <sha256> <label> <reason…>}, {@code #} comments.
 */
public final class SkillDenyList {
  /** Most entries read from one file (a deny list is a feed, not a database). */
  public static final int MAX_ENTRIES = 100_000;

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  private final Map<String, String> reasons;

  private SkillDenyList(Map<String, String> reasons) {
    this.reasons = Map.copyOf(reasons);
  }

  public static SkillDenyList builtIn() {
    try (InputStream in = SkillDenyList.class.getResourceAsStream("known-bad-skills.txt")) {
      if (in == null) {
        throw new IllegalStateException("known-bad-skills.txt is missing from the warden-monitor jar");
      }
      return new SkillDenyList(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in list"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in skill deny list: " + e.getMessage(), e);
    }
  }

  /** The built-in list plus the entries of {@code file}. */
  public static SkillDenyList builtInPlus(Path file) throws IOException {
    Map<String, String> m = new HashMap<>(builtIn().reasons);
    m.putAll(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
    return new SkillDenyList(m);
  }

  private static Map<String, String> parse(String text, String source) throws IOException {
    Map<String, String> m = new HashMap<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split("\\s+", 2);
      String sha = parts[0].toLowerCase(Locale.ROOT);
      if (!HEX64.matcher(sha).matches()) {
        throw new IOException(source + " line " + lineNo + ": expected a 64-digit hex SHA-256 first, got '" + parts[0] + "'");
      }
      if (m.size() >= MAX_ENTRIES) {
        throw new IOException(source + " has more than " + MAX_ENTRIES + " entries");
      }
      m.put(sha, parts.length > 1 ? parts[1] : "listed");
    }
    return m;
  }

  public Optional<String> reason(String sha256) {
    return Optional.ofNullable(reasons.get(sha256));
  }

  public int size() {
    return reasons.size();
  }
}
