package dev.warden.monitor.snapshot;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.AtomicFiles;
import dev.warden.kernel.CanonicalJson;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.monitor.snapshot.internal.DesiredState;
import dev.warden.monitor.snapshot.internal.HomeFiles;
import dev.warden.monitor.snapshot.internal.Json;
import dev.warden.store.CronStore;
import dev.warden.store.Labels;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@code warden rebuild --from SNAPSHOT|--clean [--home NEW]}: builds a fresh WARDEN_HOME from the
 * desired state plus, optionally, a verified snapshot's content.
 *
 * <h2>What the new home gets</h2>
 * <ul>
 *   <li>Desired state: {@code warden.yaml}, {@code skills.lock}, {@code policies/} from the old home
 *       (or from the snapshot, with {@link Options#desiredStateFromSnapshot}, or when the old home's
 *       file is missing).
 *   <li>From a snapshot: the workspace (instructions, memory), installed skills and cron jobs, after
 *       the snapshot's signature and every blob were verified with the old home's public key.
 *   <li>Clean: an empty workspace, no cron jobs, and only the installed skills whose files still
 *       hash to their skills.lock entry (the others are listed to reinstall).
 *   <li>A new agent key; {@code rebuild.json} records the old key's id, the source and what to re-add.
 *   <li>Credentials are re-bound, not copied in clear: {@code CREDENTIALS-TO-REBIND.md} lists each
 *       credential's name and bindings for the operator to re-add with {@code warden secrets add}.
 *       Only with {@link Options#copyEncryptedVault} (the operator states the same vault key is
 *       available to the new home) is the sealed vault file copied — still encrypted, and never the
 *       key file.
 *   <li>A fresh audit log whose first record is the rebuild event, and a first snapshot.
 * </ul>
 *
 * <p>Failure: the target must be absent or empty; a failed rebuild leaves a partial target that
 * the operator deletes (the old home is only read, never changed).
 */
public final class Rebuilder {

  /** Files of the vault never copied, whatever the options: keys stay where they are. */
  public static final List<String> VAULT_KEY_FILES = List.of("vault.key");
  /** The record written at the target's root. */
  public static final String RECORD_FILE = "rebuild.json";
  /** The operator's checklist of credentials to re-add. */
  public static final String CREDENTIALS_FILE = "CREDENTIALS-TO-REBIND.md";

  /**
   * @param copyEncryptedVault copy the sealed vault file (never the key): only when the same vault key
   *     will be available to the new home
   * @param desiredStateFromSnapshot take warden.yaml, skills.lock and policies/ from the snapshot
   *     instead of the old home's live files
   */
  public record Options(boolean copyEncryptedVault, boolean desiredStateFromSnapshot) {
    public static final Options DEFAULT = new Options(false, false);
  }

  /** What the rebuild did. */
  public record Result(WardenHome target, String newKeyId, String oldKeyIdOrNull, String source, List<String> written,
      List<String> cronJobs, List<CredentialBinding> credentialsToRebind, List<String> notes, SnapshotId firstSnapshot) {
    public Result {
      written = List.copyOf(written);
      cronJobs = List.copyOf(cronJobs);
      credentialsToRebind = List.copyOf(credentialsToRebind);
      notes = List.copyOf(notes);
    }
  }

  private final CredentialCatalog credentials;
  private final InstantSource clock;

  /** @param credentials lists the old home's credentials for a clean rebuild (the gateway passes the vault's) */
  public Rebuilder(CredentialCatalog credentials, InstantSource clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** As {@link #rebuild(WardenHome, RebuildSource, WardenHome, Options)} with {@link Options#DEFAULT}. */
  public Result rebuild(WardenHome from, RebuildSource source, WardenHome target) throws SnapshotException {
    return rebuild(from, source, target, Options.DEFAULT);
  }

  public Result rebuild(WardenHome from, RebuildSource source, WardenHome target, Options options)
      throws SnapshotException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(options, "options");
    if (from.root().equals(target.root()) || target.root().startsWith(from.root()) || from.root().startsWith(target.root())) {
      throw new SnapshotException("rebuild target " + target.root() + " overlaps the old home " + from.root()
          + "; choose a new directory with --home NEW");
    }
    try {
      requireEmpty(target.root());
      List<String> written = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      List<String> cronNames = new ArrayList<>();
      List<CredentialBinding> creds = new ArrayList<>();
      String oldKeyId = Files.exists(from.keys().resolve(AgentKey.PUBLIC_FILE))
          ? AgentKey.keyId(AgentKey.loadPublic(from.keys())) : null;

      SnapshotManifest m = null;
      SnapshotStore old = null;
      StateDb oldDb = null;
      try {
        if (source instanceof RebuildSource.FromSnapshot fs) {
          if (oldKeyId == null) {
            throw new SnapshotException("the old home " + from.root() + " has no agent public key, so snapshot " + fs.id()
                + " cannot be verified; rebuild with --clean");
          }
          old = SnapshotStore.readOnly(from, AgentKey.loadPublic(from.keys()), null);
          m = old.verify(fs.id());
        } else if (Files.exists(from.stateDb())) {
          oldDb = StateDb.open(from.stateDb());
        }
        for (String d : List.of("workspace", "skills", "policies", "snapshots")) {
          Files.createDirectories(target.root().resolve(d));
        }
        Files.createDirectories(target.keys(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createDirectories(target.vault(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        // Desired state.
        boolean desiredFromSnapshot = m != null && options.desiredStateFromSnapshot();
        for (String f : HomeFiles.COVERED_FILES) {
          Path live = from.root().resolve(f);
          if (!desiredFromSnapshot && Files.isRegularFile(live, LinkOption.NOFOLLOW_LINKS)) {
            copyFile(live, target.root().resolve(f));
            written.add(f);
          } else if (m != null && m.entry(f).isPresent()) {
            writeEntry(old, m.entry(f).get(), target);
            written.add(f);
            if (!desiredFromSnapshot) {
              notes.add(f + " was missing from the old home; taken from snapshot " + m.id());
            }
          } else {
            notes.add(f + " exists neither in the old home nor in the source: the new home starts without it");
          }
        }
        if (desiredFromSnapshot) {
          for (SnapshotEntry e : m.entries()) {
            if (e.path().startsWith("policies/")) {
              writeEntry(old, e, target);
              written.add(e.path());
            }
          }
        } else {
          written.addAll(copyTree(from.policies(), target.policies(), target.root()));
        }

        // Content.
        if (m != null) {
          for (SnapshotEntry e : m.entries()) {
            if (e.path().startsWith("workspace/") || e.path().startsWith("skills/")) {
              writeEntry(old, e, target);
              written.add(e.path());
            }
          }
        } else {
          notes.addAll(carryLockedSkills(from, target, written));
        }

        // State: new key, database, cron, audit.
        AgentKey newKey = AgentKey.loadOrCreate(target.keys());
        try (StateDb db = StateDb.open(target.stateDb())) {
          if (m != null && m.entry(SnapshotEntry.CRON).isPresent()) {
            cronNames.addAll(restoreCron(old.blob(m.entry(SnapshotEntry.CRON).get().sha256()), db));
          } else if (m == null) {
            notes.add("clean rebuild: no cron jobs carried over (they are agent state, not desired state)");
          }
          // Credentials.
          if (m != null && m.entry(SnapshotEntry.CREDENTIALS).isPresent()) {
            creds.addAll(parseCredentials(old.blob(m.entry(SnapshotEntry.CREDENTIALS).get().sha256())));
          } else {
            creds.addAll(credentials.credentials(from));
          }
          if (options.copyEncryptedVault()) {
            notes.addAll(copySealedVault(from, target, written));
          }
          writeCredentialChecklist(target, creds, options.copyEncryptedVault());

          String sourceText = m != null ? "snapshot " + m.id() : "clean";
          Map<String, Object> record = new LinkedHashMap<>();
          record.put("format", "warden-rebuild/1");
          record.put("time", Instant.ofEpochMilli(clock.instant().toEpochMilli()).toString());
          record.put("from_home", from.root().toString());
          record.put("source", sourceText);
          record.put("old_key_id", oldKeyId);
          record.put("new_key_id", newKey.keyId());
          record.put("encrypted_vault_copied", options.copyEncryptedVault());
          record.put("credentials_to_rebind", creds.stream().map(CredentialBinding::name).toList());
          record.put("notes", notes);
          AtomicFiles.writeString(target.root().resolve(RECORD_FILE), Json.pretty(record) + "\n",
              PosixFilePermissions.fromString("rw-------"));

          AuditLog audit = new AuditLog(new SqliteAuditStore(db), newKey, clock, target.auditHead());
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("category", "lifecycle");
          body.put("name", "rebuild");
          body.put("from_home", from.root().toString());
          body.put("source", sourceText);
          body.put("old_key_id", oldKeyId);
          body.put("new_key_id", newKey.keyId());
          body.put("credentials_to_rebind", creds.size());
          audit.append(AuditRecord.Type.EVENT, null, "system:warden", body);
          audit.checkpoint();

          SnapshotStore fresh = new SnapshotStore(target, newKey, db, h -> creds, clock);
          SnapshotManifest first = fresh.create("rebuild: from " + sourceText + " of " + from.root());
          return new Result(target, newKey.keyId(), oldKeyId, sourceText, written, cronNames, creds, notes, first.id());
        }
      } finally {
        if (oldDb != null) {
          oldDb.close();
        }
      }
    } catch (SnapshotException e) {
      throw e;
    } catch (Exception e) {
      throw new SnapshotException("rebuild into " + target.root() + " failed: " + e.getMessage()
          + "; the old home is unchanged — delete " + target.root() + " and try again", e);
    }
  }

  private static void requireEmpty(Path dir) throws IOException, SnapshotException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        throw new SnapshotException("rebuild target " + dir + " is not empty; pass --home with a new directory");
      }
    }
  }

  private static void writeEntry(SnapshotStore store, SnapshotEntry e, WardenHome target) throws IOException, SnapshotException {
    Path dest = target.root().resolve(e.path()).normalize();
    if (!dest.startsWith(target.root()) || !HomeFiles.covered(e.path())) {
      throw new SnapshotException("snapshot entry " + e.path() + " is outside the covered parts of a home; refusing");
    }
    AtomicFiles.write(dest, store.blob(e.sha256()), HomeFiles.fromOctal(e.mode()));
  }

  private static void copyFile(Path src, Path dest) throws IOException {
    Files.createDirectories(dest.getParent());
    Files.copy(src, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
  }

  private static List<String> copyTree(Path src, Path dest, Path targetRoot) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.sorted().toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !HomeFiles.isTempFile(p)) {
          Path d = dest.resolve(src.relativize(p).toString());
          copyFile(p, d);
          out.add(HomeFiles.rel(targetRoot, d));
        }
      }
    }
    return out;
  }

  private static List<String> carryLockedSkills(WardenHome from, WardenHome target, List<String> written) throws IOException {
    List<String> notes = new ArrayList<>();
    Map<String, String> locked;
    try {
      locked = DesiredState.lockedSkills(from.skillsLock());
    } catch (IOException e) {
      notes.add("skills.lock unreadable (" + e.getMessage() + "): no skills carried over");
      return notes;
    }
    for (Map.Entry<String, String> e : locked.entrySet()) {
      Path dir = from.skills().resolve(e.getKey()).normalize();
      if (!dir.startsWith(from.skills())) {
        notes.add("skills.lock names \"" + e.getKey() + "\", which is not a folder name: ignored");
      } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        notes.add("skill " + e.getKey() + " is locked but not installed in the old home: reinstall it");
      } else if (e.getValue() == null || !e.getValue().equals(DesiredState.treeHash(dir))) {
        notes.add("skill " + e.getKey() + " no longer matches its skills.lock hash: not carried over, reinstall it "
            + "from its source");
      } else {
        written.addAll(copyTree(dir, target.skills().resolve(e.getKey()), target.root()));
      }
    }
    return notes;
  }

  @SuppressWarnings("unchecked")
  private static List<String> restoreCron(byte[] doc, StateDb db) throws IOException {
    List<String> names = new ArrayList<>();
    Map<String, Object> m = Json.map(new String(doc, StandardCharsets.UTF_8));
    CronStore cron = new CronStore(db);
    for (Object o : (List<Object>) m.get("jobs")) {
      Map<String, Object> j = (Map<String, Object>) o;
      cron.put(new CronStore.Job((String) j.get("name"), (String) j.get("schedule"), (String) j.get("prompt"),
          Labels.fromJson((String) j.get("label")), (String) j.get("principal"), Instant.parse((String) j.get("created")),
          Boolean.TRUE.equals(j.get("enabled")), null, null));
      names.add((String) j.get("name"));
    }
    return names;
  }

  @SuppressWarnings("unchecked")
  private static List<CredentialBinding> parseCredentials(byte[] doc) throws IOException {
    List<CredentialBinding> out = new ArrayList<>();
    Map<String, Object> m = Json.map(new String(doc, StandardCharsets.UTF_8));
    for (Object o : (List<Object>) m.getOrDefault("credentials", List.of())) {
      Map<String, Object> c = (Map<String, Object>) o;
      out.add(new CredentialBinding((String) c.get("name"), (List<String>) c.getOrDefault("hosts", List.of()),
          (List<String>) c.getOrDefault("scopes", List.of()), String.valueOf(c.getOrDefault("note", ""))));
    }
    return out;
  }

  private static List<String> copySealedVault(WardenHome from, WardenHome target, List<String> written) throws IOException {
    List<String> notes = new ArrayList<>();
    if (!Files.isDirectory(from.vault())) {
      notes.add("--copy-encrypted-vault: the old home has no vault directory");
      return notes;
    }
    try (Stream<Path> s = Files.list(from.vault())) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        if (VAULT_KEY_FILES.contains(n) || n.startsWith(".") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Path d = target.vault().resolve(n);
        Files.copy(p, d, LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rw-------"));
        written.add("vault/" + n);
      }
    }
    notes.add("the sealed vault was copied still encrypted; its key was not: provide the same vault key to the new home "
        + "(WARDEN_VAULT_KEY or vault/" + VAULT_KEY_FILES.getFirst() + ") or the vault will not open");
    return notes;
  }

  private static void writeCredentialChecklist(WardenHome target, List<CredentialBinding> creds, boolean vaultCopied)
      throws IOException {
    StringBuilder sb = new StringBuilder("# Credentials to re-bind\n\n");
    sb.append(vaultCopied
        ? "The sealed vault was copied (encrypted). Once the vault key is in place, check each binding below with "
            + "`warden secrets list`.\n\n"
        : "No secret value was copied into this home. Re-add each credential with its bindings:\n\n");
    if (creds.isEmpty()) {
      sb.append("(none recorded)\n");
    }
    for (CredentialBinding c : creds) {
      sb.append("- `").append(c.name()).append("`");
      if (!c.hosts().isEmpty()) {
        sb.append(" hosts: ").append(String.join(", ", c.hosts()));
      }
      if (!c.scopes().isEmpty()) {
        sb.append(" scopes: ").append(String.join(", ", c.scopes()));
      }
      if (!vaultCopied && !c.name().startsWith("vault-file:")) {
        sb.append(" — `warden secrets add ").append(c.name());
        for (String h : c.hosts()) {
          sb.append(" --host ").append(h);
        }
        sb.append("`");
      }
      if (!c.note().isEmpty()) {
        sb.append(" (").append(c.note()).append(")");
      }
      sb.append('\n');
    }
    AtomicFiles.writeString(target.root().resolve(CREDENTIALS_FILE), sb.toString());
    AtomicFiles.writeString(target.root().resolve("rebuild-credentials.json"), CanonicalJson.write(
        Map.of("credentials", creds.stream().map(CredentialBinding::toMap).toList())) + "\n");
  }
}
