package dev.warden.sandbox.internal;

import dev.warden.sandbox.NetworkAccess;
import java.io.IOException;

/** Starts the launcher process of a sandbox, possibly from a specially prepared thread. */
public interface Spawner {

  Process start(ProcessBuilder builder, NetworkAccess network) throws IOException;

  /** What this spawner adds, for {@code describe()}; empty when nothing. */
  String describe();

  /** Starts from the calling thread, adding nothing. */
  Spawner DIRECT = new Spawner() {
    @Override
    public Process start(ProcessBuilder builder, NetworkAccess network) throws IOException {
      return builder.start();
    }

    @Override
    public String describe() {
      return "";
    }
  };
}
