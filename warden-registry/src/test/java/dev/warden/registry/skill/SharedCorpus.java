package dev.warden.registry.skill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real third-party skills in {@code <warden.shared.dir>/corpus}, read in place (never copied). */
public final class SharedCorpus {
  private SharedCorpus() {}

  public static Path dir() {
    String shared = System.getProperty("warden.shared.dir", "/work/shared");
    Path p = Path.of(shared, "corpus").toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("shared corpus not found at " + p
          + "; set -Dwarden.shared.dir to the folder holding corpus/ (surefire sets it to <repo>/../shared)");
    }
    return p;
  }

  /** Every folder under the corpus that holds a SKILL.md, sorted. */
  public static List<Path> skillDirs() {
    try (Stream<Path> s = Files.walk(dir())) {
      return s.filter(p -> p.getFileName().toString().equals("SKILL.md")).map(Path::getParent).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
