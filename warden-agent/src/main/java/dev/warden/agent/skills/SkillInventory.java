package dev.warden.agent.skills;

import dev.warden.registry.pkg.LockCheck;
import dev.warden.registry.pkg.SkillsLock;
import dev.warden.registry.skill.HostEnvironment;
import dev.warden.registry.skill.Skill;
import dev.warden.registry.skill.SkillCatalog;
import dev.warden.registry.skill.SkillTier;
import dev.warden.registry.trust.TrustStore;
import dev.warden.registry.trust.TrustedKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The skills the agent can see: managed ones ({@code WARDEN_HOME/skills}, installed through the
 * installer; dot-folders such as {@code .quarantine} are never loaded) over workspace ones
 * ({@code workspace/skills}), and which of them are vetted.
 *
 * <p>Vetted means: a managed skill whose files still match its {@code skills.lock} pin and whose
 * publisher key the owner trusted explicitly (a key pinned on first use is not the owner's trust).
 * Only a vetted skill's text enters the context labelled trusted; everything else is untrusted.
 */
public final class SkillInventory {
  /** Workspace skills, relative to the workspace root. */
  public static final String WORKSPACE_SKILLS_DIR = "skills";

  /** An offered skill and whether it is vetted. */
  public record Entry(Skill skill, boolean vetted) {}

  private final SkillInstallExecutor installs;
  private final Path workspaceRoot;
  private final HostEnvironment host;

  public SkillInventory(SkillInstallExecutor installs, Path workspaceRoot, HostEnvironment host) {
    this.installs = installs;
    this.workspaceRoot = workspaceRoot;
    this.host = host;
  }

  public SkillCatalog catalog() {
    return SkillCatalog.load(List.of(new SkillCatalog.Root(installs.skillsDir(), SkillTier.MANAGED),
        new SkillCatalog.Root(workspaceRoot.resolve(WORKSPACE_SKILLS_DIR), SkillTier.WORKSPACE)), host);
  }

  /** Offered skills with their vetting, sorted by name. */
  public List<Entry> offered() {
    List<Entry> out = new ArrayList<>();
    for (Skill s : catalog().offered()) {
      out.add(new Entry(s, vetted(s)));
    }
    return out;
  }

  public Optional<Entry> find(String name) {
    return catalog().find(name).map(s -> new Entry(s, vetted(s)));
  }

  /** Skills staged but kept in quarantine (scan verdict, permission growth awaiting approval). */
  public List<SkillsLock.Entry> quarantined() {
    try {
      return List.copyOf(installs.installer().lock().quarantined().values());
    } catch (IOException e) {
      return List.of();
    }
  }

  public boolean vetted(Skill s) {
    if (s.tier() != SkillTier.MANAGED) {
      return false;
    }
    try {
      SkillsLock lock = installs.installer().lock();
      Optional<SkillsLock.Entry> e = lock.skill(s.name());
      if (e.isEmpty() || e.get().publisherKeyIdOrNull() == null) {
        return false;
      }
      LockCheck check = installs.installer().check(s.name(), null);
      if (!check.ok()) {
        return false;
      }
      TrustStore trust = installs.trustStore(null);
      return trust.find(e.get().publisherKeyIdOrNull()).map(k -> k.state() == TrustedKey.State.TRUSTED).orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
