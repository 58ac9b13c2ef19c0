package dev.warden.scenarios.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting temporary homes. */
public final class Trees {
  private Trees() {}

  public static void deleteQuietly(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a temp file left behind is not worth failing a run for
        }
      });
    } catch (IOException e) {
      // same
    }
  }
}
