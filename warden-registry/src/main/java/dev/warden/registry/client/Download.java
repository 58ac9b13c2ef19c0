package dev.warden.registry.client;

import dev.warden.registry.pkg.SkillSource;
import dev.warden.registry.pkg.VerifiedPackage;
import dev.warden.registry.tlog.LogEntry;
import dev.warden.registry.tlog.SignedTreeHead;
import java.net.URI;
import java.util.Objects;

/**
 * A package downloaded and fully verified: signature against the trust store, every file against
 * the signed manifest, the manifest's log entry included in a signed tree head that is consistent
 * with every head this client saw before.
 */
public record Download(URI registry, VerifiedPackage pkg, long logIndex, LogEntry logEntry, SignedTreeHead treeHead,
    boolean yanked, String yankReasonOrNull) {
  public Download {
    Objects.requireNonNull(registry);
    Objects.requireNonNull(pkg);
    Objects.requireNonNull(logEntry);
    Objects.requireNonNull(treeHead);
  }

  /** The source to record in {@code skills.lock} and to check against the install policy. */
  public SkillSource source() {
    return new SkillSource.Registry(registry, pkg.name(), pkg.version());
  }
}
