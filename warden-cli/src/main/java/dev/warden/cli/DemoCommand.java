package dev.warden.cli;

import dev.warden.scenarios.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code warden demo}: the five-step compromise chain against a fresh home, offline (docs/demo.md). */
@Command(name = "demo", description = "Narrate a five-step compromise chain against a fresh home and show Warden contain each step (offline, no configuration).")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--home", paramLabel = "DIR", description = "Where to build the demo home (default: a new temporary directory)")
  Path home;

  @Override
  public Integer call() {
    return Demo.run(System.out, home);
  }
}
