package dev.warden.cli;

import dev.warden.kernel.WardenHome;
import picocli.CommandLine.Option;

/** {@code --home DIR}: which WARDEN_HOME to use (else $WARDEN_HOME, else ~/.warden). */
public final class HomeOption {
  @Option(names = "--home", paramLabel = "DIR", description = "Warden's state directory (default: $WARDEN_HOME or ~/.warden)")
  String home;

  public WardenHome resolve() {
    return WardenHome.resolve(home);
  }
}
