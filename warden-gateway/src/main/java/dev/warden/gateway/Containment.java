package dev.warden.gateway;

import dev.warden.kernel.AtomicFiles;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.monitor.snapshot.SnapshotException;
import dev.warden.monitor.snapshot.SnapshotManifest;
import dev.warden.vault.SecretMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step to cut the agent off, one to restore it.
 *
 * <p>Quarantine: the kernel's policy becomes deny-all (every action, every session, the running
 * one's next action included), every active credential is suspended, outbound channel messages
 * are muted, cron jobs stop, pending approvals are cancelled, and a forensic snapshot is taken
 * (never pruned). The state survives a restart: {@code QUARANTINED} in WARDEN_HOME lists what was
 * suspended, so release resumes exactly those credentials. Both steps are audited.
 */
public final class Containment {

  public static final String FLAG_FILE = "QUARANTINED";

  public record Report(boolean quarantined, int credentials, int approvalsCancelled, String snapshotOrNull, List<String> notes) {}

  private final WardenRuntime rt;

  public Containment(WardenRuntime rt) {
    this.rt = rt;
  }

  public Path flag() {
    return rt.home().root().resolve(FLAG_FILE);
  }

  public boolean active() {
    return Files.exists(flag());
  }

  /** Re-applies a quarantine recorded by an earlier process (called at startup). */
  public void reapplyIfFlagged() {
    if (active()) {
      rt.kernel().setQuarantined(true, "still quarantined (" + FLAG_FILE + " present at startup)");
      rt.messages().mute(true);
      rt.cron().pause();
    }
  }

  public Report quarantine(String reason, String by) throws IOException {
    List<String> notes = new ArrayList<>();
    rt.kernel().setQuarantined(true, reason + " (by " + by + ")");
    List<String> suspended = new ArrayList<>();
    try (var t = rt.announcer().writing(rt.home().vault())) {
      for (SecretMetadata m : rt.vault().list()) {
        if (!m.suspended()) {
          rt.vault().suspend(m.name());
          suspended.add(m.name());
        }
      }
    } catch (WardenSecurityException e) {
      notes.add("could not suspend every credential: " + e.getMessage());
    }
    rt.messages().mute(true);
    rt.cron().pause();
    int cancelled = rt.kernel().cancelAllPending("quarantine");
    String snap = null;
    try {
      SnapshotManifest m = rt.snapshots().create("forensic: quarantine: " + reason);
      snap = m.id().value();
    } catch (SnapshotException e) {
      notes.add("forensic snapshot failed: " + e.getMessage());
    }
    AtomicFiles.writeString(flag(), "reason=" + reason + "\nby=" + by + "\nsuspended=" + String.join(",", suspended) + "\n");
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("reason", reason);
    f.put("by", by);
    f.put("credentials_suspended", suspended);
    f.put("approvals_cancelled", cancelled);
    f.put("forensic_snapshot", snap);
    rt.kernel().recordEvent("containment", "quarantined", null, f);
    return new Report(true, suspended.size(), cancelled, snap, notes);
  }

  public Report release(String by) throws IOException {
    List<String> notes = new ArrayList<>();
    List<String> resumed = new ArrayList<>();
    if (Files.exists(flag())) {
      try (var t = rt.announcer().writing(rt.home().vault())) {
      for (String line : Files.readAllLines(flag(), StandardCharsets.UTF_8)) {
        if (line.startsWith("suspended=") && line.length() > "suspended=".length()) {
          for (String name : line.substring("suspended=".length()).split(",")) {
            try {
              rt.vault().resume(name);
              resumed.add(name);
            } catch (WardenSecurityException e) {
              notes.add("could not resume " + name + ": " + e.getMessage());
            }
          }
        }
      }
      }
      Files.delete(flag());
    } else {
      notes.add("Warden was not quarantined");
    }
    rt.kernel().setQuarantined(false, "released by " + by);
    rt.messages().mute(false);
    rt.cron().resume();
    rt.kernel().recordEvent("containment", "released", null, Map.of("by", by, "credentials_resumed", resumed));
    return new Report(false, resumed.size(), 0, null, notes);
  }
}
