package dev.warden.gateway;

import dev.warden.kernel.WardenHome;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.monitor.snapshot.CredentialBinding;
import dev.warden.monitor.snapshot.CredentialCatalog;
import dev.warden.vault.SecretMetadata;
import dev.warden.vault.Vault;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Snapshots and rebuilds record credentials by name and binding only, read from the open vault. */
public final class VaultCredentialCatalog implements CredentialCatalog {
  private final Vault vault;

  public VaultCredentialCatalog(Vault vault) {
    this.vault = vault;
  }

  @Override
  public List<CredentialBinding> credentials(WardenHome home) throws IOException {
    List<CredentialBinding> out = new ArrayList<>();
    try {
      for (SecretMetadata m : vault.list()) {
        out.add(new CredentialBinding(m.name(), m.hosts().stream().map(Object::toString).toList(), m.scopes(),
            m.suspended() ? "suspended" : "active"));
      }
    } catch (WardenSecurityException e) {
      throw new IOException("cannot list vault credentials: " + e.getMessage(), e);
    }
    return out;
  }
}
