package dev.warden.monitor.snapshot;

import dev.warden.kernel.WardenHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where snapshots and rebuilds learn the credential names and bindings. The vault seals its
 * metadata, so the monitor cannot read bindings itself: the gateway passes a catalog backed by the
 * open vault ({@code name, hosts, scopes} of each secret). Implementations must never return values.
 */
@FunctionalInterface
public interface CredentialCatalog {

  List<CredentialBinding> credentials(WardenHome home) throws IOException;

  /**
   * The fallback when no vault is open: the vault directory is opaque, so only the names of the
   * files in it are recorded (never their contents), each with a note saying so.
   */
  CredentialCatalog VAULT_FILE_NAMES = home -> {
    List<CredentialBinding> out = new ArrayList<>();
    Path dir = home.vault();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(".")) {
          continue;
        }
        out.add(new CredentialBinding("vault-file:" + n, List.of(), List.of(),
            "vault metadata is sealed; only the file name is recorded — the gateway's catalog lists the bindings"));
      }
    }
    return out;
  };
}
