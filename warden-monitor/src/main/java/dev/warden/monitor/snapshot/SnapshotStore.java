package dev.warden.monitor.snapshot;

import dev.warden.kernel.AgentKey;
import dev.warden.kernel.AtomicFiles;
import dev.warden.kernel.CanonicalJson;
import dev.warden.kernel.Hashing;
import dev.warden.kernel.LineDiff;
import dev.warden.kernel.WardenHome;
import dev.warden.kernel.audit.AuditException;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.monitor.snapshot.internal.AuditExplainer;
import dev.warden.monitor.snapshot.internal.DirLock;
import dev.warden.monitor.snapshot.internal.HomeFiles;
import dev.warden.monitor.snapshot.internal.Json;
import dev.warden.store.CronStore;
import dev.warden.store.Labels;
import dev.warden.store.SqliteAuditStore;
import dev.warden.store.StateDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Content-addressed, signed snapshots of WARDEN_HOME under {@code snapshots/}.
 *
 * <h2>Layout</h2>
 * {@code snapshots/blobs/ab/abcd…} (each distinct content once, named by its SHA-256, mode 0600),
 * {@code snapshots/manifests/ID.json} (canonical JSON, {@link SnapshotManifest}) and
 * {@code ID.sig} (Ed25519 signature by the agent key over the manifest bytes).
 *
 * <h2>What a snapshot holds</h2>
 * {@code workspace/} (instruction files, MEMORY.md, memory/), {@code warden.yaml}, {@code policies/},
 * {@code skills/}, {@code skills.lock}; cron jobs exported from state.db as one canonical JSON
 * document ({@link SnapshotEntry#CRON}; run times are left out, they change every minute); credential
 * names and bindings from a {@link CredentialCatalog} ({@link SnapshotEntry#CREDENTIALS}). Never the
 * vault, the keys, the CA, state.db itself or the audit log (that has its own chain).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Reading a snapshot (diff, restore) first checks the manifest's signature with the agent's
 *       public key and every blob's hash: a tampered manifest, a missing blob or a changed blob is
 *       refused with {@link SnapshotException}, nothing is restored.
 *   <li>Blobs and manifests are written atomically (temp + fsync + rename); the manifest is written
 *       last, so a crash leaves at worst unreferenced blobs, removed by the next {@link #prune}.
 *   <li>{@link #restore} first takes a snapshot of the current state, so a restore can be undone.
 * </ul>
 *
 * <h2>Design notes</h2>
 * <p>Concurrency: mutating operations hold an exclusive lock on {@code snapshots/.lock} (the CLI and
 * the gateway may both snapshot) and are synchronized in-process. Failure: an I/O error aborts the
 * operation with a {@link SnapshotException}; files already restored stay restored (each file is
 * replaced atomically, the set is not). Threats: anyone who can write WARDEN_HOME can also read the
 * agent key and forge a manifest; a signature proves the snapshot was not edited by someone without
 * the home, and the diff's audit attribution is what catches an edit by someone with it.
 */
public final class SnapshotStore {

  /** Largest single file a snapshot takes; a bigger file fails the snapshot (fail closed, never silently skipped). */
  public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
  /** Most files one snapshot covers. */
  public static final int MAX_FILES = 100_000;
  /** Largest file (each side) for which a diff shows a line diff. */
  public static final int MAX_TEXT_DIFF_BYTES = 256 * 1024;
  /** Audit records read per page when looking for explanations. */
  public static final int AUDIT_PAGE_RECORDS = 2_000;
  /** Most audit records one diff scans for explanations. */
  public static final int MAX_AUDIT_RECORDS_SCANNED = 2_000_000;

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final WardenHome home;
  private final AgentKey signerOrNull;
  private final PublicKey verifyKey;
  private final StateDb dbOrNull;
  private final CredentialCatalog credentials;
  private final InstantSource clock;
  private final WriteAnnouncer announcer;

  /**
   * A store that can create and restore snapshots.
   *
   * @param home the WARDEN_HOME whose state is snapshotted (snapshots live in {@code home.snapshots()})
   * @param key the agent key (signs manifests)
   * @param db state.db of that home (cron jobs, audit log)
   * @param credentials where credential names and bindings come from
   * @param clock time source
   */
  public SnapshotStore(WardenHome home, AgentKey key, StateDb db, CredentialCatalog credentials, InstantSource clock) {
    this(home, key, db, credentials, clock, WriteAnnouncer.NONE);
  }

  /** As above; {@code announcer} hears about every file a restore writes or deletes (wire the integrity watch here). */
  public SnapshotStore(WardenHome home, AgentKey key, StateDb db, CredentialCatalog credentials, InstantSource clock,
      WriteAnnouncer announcer) {
    this(home, Objects.requireNonNull(key, "key"), key.publicKey(), Objects.requireNonNull(db, "db"), credentials,
        clock, announcer);
  }

  private SnapshotStore(WardenHome home, AgentKey signerOrNull, PublicKey verifyKey, StateDb dbOrNull,
      CredentialCatalog credentials, InstantSource clock, WriteAnnouncer announcer) {
    this.announcer = Objects.requireNonNull(announcer, "announcer");
    this.home = Objects.requireNonNull(home, "home");
    this.signerOrNull = signerOrNull;
    this.verifyKey = Objects.requireNonNull(verifyKey, "verifyKey");
    this.dbOrNull = dbOrNull;
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A store that only reads and verifies snapshots (rebuild, incident export): no signing key,
   * optionally no database. {@link #create}, {@link #restore}, {@link #diffSince} are refused.
   */
  public static SnapshotStore readOnly(WardenHome home, PublicKey key, StateDb dbOrNull) {
    return new SnapshotStore(home, null, key, dbOrNull, CredentialCatalog.VAULT_FILE_NAMES, InstantSource.system(),
        WriteAnnouncer.NONE);
  }

  public WardenHome home() {
    return home;
  }

  // ---------------------------------------------------------------------------------------------
  // create

  /** Takes a snapshot of the live state now. */
  public synchronized SnapshotManifest create(String reason) throws SnapshotException {
    Objects.requireNonNull(reason, "reason");
    requireWritable("create a snapshot");
    try (DirLock lock = DirLock.acquire(home.snapshots())) {
      Instant now = Instant.ofEpochMilli(clock.instant().toEpochMilli());
      long auditSeq = lastAuditSeq();
      List<SnapshotEntry> entries = new ArrayList<>();
      for (Item it : liveItems(true).values()) {
        entries.add(new SnapshotEntry(it.path(), it.sha256(), it.size(), it.mode()));
      }
      SnapshotId id = newId(now);
      SnapshotManifest m = new SnapshotManifest(id, now, reason, signerOrNull.keyId(), auditSeq, entries);
      byte[] bytes = m.toBytes();
      byte[] sig = signerOrNull.sign(bytes);
      // Signature first: a manifest without its signature would be listed as tampered.
      AtomicFiles.writeString(manifestsDir().resolve(id.value() + ".sig"),
          "key=" + signerOrNull.keyId() + "\nsignature=" + Base64.getEncoder().encodeToString(sig) + "\n",
          PosixFilePermissions.fromString("rw-------"));
      AtomicFiles.write(manifestsDir().resolve(id.value() + ".json"), bytes, PosixFilePermissions.fromString("rw-------"));
      return m;
    } catch (IOException e) {
      throw new SnapshotException("cannot take a snapshot of " + home.root() + ": " + e.getMessage()
          + "; check that the home is readable and " + home.snapshots() + " writable", e);
    }
  }

  private SnapshotId newId(Instant now) {
    String base = "snap-" + ID_TIME.format(now);
    String id = base;
    for (int n = 2; Files.exists(manifestsDir().resolve(id + ".json")) || Files.exists(manifestsDir().resolve(id + ".sig")); n++) {
      id = base + "-" + n;
    }
    return SnapshotId.of(id);
  }

  // ---------------------------------------------------------------------------------------------
  // list, read, verify

  /** All snapshots whose manifests parse, oldest first (signatures are checked by {@link #read}/{@link #verify}). */
  public List<SnapshotManifest> list() throws SnapshotException {
    List<SnapshotManifest> out = new ArrayList<>();
    for (SnapshotId id : ids()) {
      try {
        out.add(SnapshotManifest.parse(Files.readAllBytes(manifestsDir().resolve(id.value() + ".json"))));
      } catch (IOException | SnapshotException e) {
        // Listed as broken by verify(); list() shows what can be read.
      }
    }
    out.sort((a, b) -> a.time().equals(b.time()) ? a.id().compareTo(b.id()) : a.time().compareTo(b.time()));
    return out;
  }

  /** Ids of every manifest file present, sorted. */
  public List<SnapshotId> ids() throws SnapshotException {
    Path dir = manifestsDir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<SnapshotId> ids = new ArrayList<>();
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".json") && !n.startsWith(".")) {
          try {
            ids.add(SnapshotId.of(n.substring(0, n.length() - 5)));
          } catch (IllegalArgumentException ignored) {
            // Not a manifest we wrote.
          }
        }
      }
      ids.sort(null);
      return ids;
    } catch (IOException e) {
      throw new SnapshotException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The newest snapshot that verifies, if any. */
  public Optional<SnapshotManifest> latest() throws SnapshotException {
    List<SnapshotManifest> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        return Optional.of(read(all.get(i).id()));
      } catch (SnapshotException e) {
        // A tampered newest snapshot is not "the last good one"; keep looking.
      }
    }
    return Optional.empty();
  }

  /** Reads a manifest after checking its signature (not the blobs: see {@link #verify}). */
  public SnapshotManifest read(SnapshotId id) throws SnapshotException {
    Path json = manifestsDir().resolve(id.value() + ".json");
    Path sigFile = manifestsDir().resolve(id.value() + ".sig");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(json);
    } catch (NoSuchFileException e) {
      throw new SnapshotException("no snapshot " + id + " in " + manifestsDir() + "; `warden snapshot list` shows the ids");
    } catch (IOException e) {
      throw new SnapshotException("cannot read snapshot " + id + ": " + e.getMessage(), e);
    }
    byte[] sig;
    try {
      Map<String, String> kv = new LinkedHashMap<>();
      for (String line : Files.readAllLines(sigFile, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      sig = Base64.getDecoder().decode(Objects.requireNonNull(kv.get("signature"), "no signature line"));
    } catch (NoSuchFileException e) {
      throw new SnapshotException("snapshot " + id + " has no signature file " + sigFile
          + "; it was not written by Warden or was tampered with — do not restore it");
    } catch (IOException | RuntimeException e) {
      throw new SnapshotException("snapshot " + id + " has an unreadable signature (" + e.getMessage()
          + "); do not restore it", e);
    }
    if (!AgentKey.verify(verifyKey, bytes, sig)) {
      throw new SnapshotException("snapshot " + id + " FAILED verification: the manifest's signature does not verify "
          + "with the agent key " + AgentKey.keyId(verifyKey) + " — the manifest was edited or signed by another key; "
          + "do not restore it");
    }
    SnapshotManifest m = SnapshotManifest.parse(bytes);
    if (!m.id().equals(id)) {
      throw new SnapshotException("snapshot file " + id + " holds the manifest of " + m.id() + " (renamed); do not restore it");
    }
    return m;
  }

  /** Checks the signature and every blob's presence and hash; returns the verified manifest. */
  public SnapshotManifest verify(SnapshotId id) throws SnapshotException {
    SnapshotManifest m = read(id);
    for (SnapshotEntry e : m.entries()) {
      blob(e.sha256(), id, e.path());
    }
    return m;
  }

  /** A blob's content, checked against its address. */
  public byte[] blob(String sha256) throws SnapshotException {
    return blob(sha256, null, null);
  }

  private byte[] blob(String sha256, SnapshotId idOrNull, String pathOrNull) throws SnapshotException {
    String where = idOrNull == null ? "" : " (" + pathOrNull + " of snapshot " + idOrNull + ")";
    Path p = blobPath(sha256);
    byte[] b;
    try {
      b = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new SnapshotException("blob " + sha256 + where + " is missing from " + blobsDir()
          + "; the snapshot is incomplete — do not restore it");
    } catch (IOException e) {
      throw new SnapshotException("cannot read blob " + sha256 + where + ": " + e.getMessage(), e);
    }
    if (!Hashing.sha256Hex(b).equals(sha256)) {
      throw new SnapshotException("blob " + sha256 + where + " FAILED verification: its content was changed; "
          + "do not restore this snapshot");
    }
    return b;
  }

  // ---------------------------------------------------------------------------------------------
  // diff

  /** What changed from snapshot {@code a} to snapshot {@code b}, with the audited actions behind each change. */
  public SnapshotDiff diff(SnapshotId a, SnapshotId b) throws SnapshotException {
    SnapshotManifest ma = read(a);
    SnapshotManifest mb = read(b);
    if (mb.auditSeq() < ma.auditSeq()) {
      SnapshotManifest t = ma;
      ma = mb;
      mb = t;
    }
    Map<String, Item> from = expand(snapshotItems(ma));
    Map<String, Item> to = expand(snapshotItems(mb));
    return compare(ma.id(), mb.id(), ma.auditSeq(), mb.auditSeq(), from, to);
  }

  /** What changed from snapshot {@code a} to the live state now. */
  public SnapshotDiff diffSince(SnapshotId a) throws SnapshotException {
    requireDb("diff against the live state");
    SnapshotManifest ma = read(a);
    long to = lastAuditSeq();
    Map<String, Item> live;
    try {
      live = expand(liveItems(false));
    } catch (IOException e) {
      throw new SnapshotException("cannot read the live state of " + home.root() + ": " + e.getMessage(), e);
    }
    return compare(ma.id(), null, ma.auditSeq(), to, expand(snapshotItems(ma)), live);
  }

  private SnapshotDiff compare(SnapshotId a, SnapshotId bOrNull, long fromSeq, long toSeq, Map<String, Item> from,
      Map<String, Item> to) throws SnapshotException {
    AuditExplainer explainer = new AuditExplainer(home.root(), auditBetween(fromSeq, toSeq));
    TreeSet<String> paths = new TreeSet<>(from.keySet());
    paths.addAll(to.keySet());
    List<FileChange> changes = new ArrayList<>();
    for (String p : paths) {
      Item x = from.get(p);
      Item y = to.get(p);
      ChangeKind kind;
      String detail;
      if (x == null) {
        kind = ChangeKind.ADDED;
        detail = "added, " + y.size() + " bytes" + (y.mode().isEmpty() ? "" : ", mode " + y.mode());
      } else if (y == null) {
        kind = ChangeKind.REMOVED;
        detail = "removed (was " + x.size() + " bytes)";
      } else if (!x.sha256().equals(y.sha256())) {
        kind = ChangeKind.MODIFIED;
        detail = x.size() + " → " + y.size() + " bytes" + (x.mode().equals(y.mode()) ? "" : ", mode " + x.mode() + " → " + y.mode());
      } else if (!x.mode().equals(y.mode())) {
        kind = ChangeKind.MODIFIED;
        detail = "mode " + x.mode() + " → " + y.mode();
      } else {
        continue;
      }
      String textDiff = null;
      byte[] before = x == null ? new byte[0] : x.content(this);
      byte[] after = y == null ? new byte[0] : y.content(this);
      if (before != null && after != null && HomeFiles.isText(before) && HomeFiles.isText(after)
          && (x == null || y == null || !x.sha256().equals(y.sha256()))) {
        textDiff = LineDiff.unified(p, new String(before, StandardCharsets.UTF_8), new String(after, StandardCharsets.UTF_8));
      }
      AuditExplainer.Explanation ex = explainer.explain(p, kind, y == null ? null : y.sha256());
      if (ex.noteOrNull() != null) {
        detail = detail + "; " + ex.noteOrNull();
      }
      changes.add(new FileChange(p, kind, detail, textDiff, ex.attribution(), ex.refs()));
    }
    return new SnapshotDiff(a, bOrNull, fromSeq, toSeq, changes);
  }

  // ---------------------------------------------------------------------------------------------
  // restore

  /**
   * Puts snapshot {@code id} back: verifies it completely, snapshots the current state (so the
   * restore can be undone), rewrites every covered file that differs, removes covered files the
   * snapshot did not have, and replaces the cron jobs. Credentials are not touched (the vault is
   * not in snapshots); the result says so. The caller records an audit event with the result.
   */
  public synchronized RestoreResult restore(SnapshotId id) throws SnapshotException {
    requireWritable("restore a snapshot");
    SnapshotManifest m = verify(id);
    SnapshotManifest safety = create("pre-restore: state before restoring " + id);
    List<String> written = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    List<String> cronRestored = new ArrayList<>();
    List<String> cronDeleted = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try (DirLock lock = DirLock.acquire(home.snapshots())) {
      Map<String, HomeFiles.LiveFile> live = new LinkedHashMap<>();
      HomeFiles.Walk walk = HomeFiles.walk(home, MAX_FILES);
      for (HomeFiles.LiveFile f : walk.files()) {
        live.put(f.rel(), f);
      }
      Set<String> keep = new HashSet<>();
      for (SnapshotEntry e : m.entries()) {
        if (e.isVirtual()) {
          continue;
        }
        keep.add(e.path());
        if (!HomeFiles.covered(e.path())) {
          throw new SnapshotException("snapshot " + id + " lists " + e.path() + ", outside the parts of the home snapshots "
              + "cover; refusing to restore it");
        }
        Path target = home.root().resolve(e.path()).normalize();
        if (!target.startsWith(home.root())) {
          throw new SnapshotException("snapshot " + id + " entry " + e.path() + " resolves outside the home; refusing");
        }
        HomeFiles.LiveFile lf = live.get(e.path());
        if (lf != null && lf.mode().equals(e.mode()) && lf.size() == e.size()
            && Hashing.sha256Hex(Files.readAllBytes(lf.file())).equals(e.sha256())) {
          continue;
        }
        refuseSymlinkedParents(target);
        byte[] content = blob(e.sha256(), id, e.path());
        announcer.willWrite(target, e.sha256());
        AtomicFiles.write(target, content, HomeFiles.fromOctal(e.mode()));
        written.add(e.path());
      }
      for (String rel : live.keySet()) {
        if (!keep.contains(rel)) {
          announcer.willWrite(home.root().resolve(rel), null);
          Files.deleteIfExists(home.root().resolve(rel));
          deleted.add(rel);
        }
      }
      Optional<SnapshotEntry> cron = m.entry(SnapshotEntry.CRON);
      if (cron.isPresent()) {
        restoreCron(blob(cron.get().sha256(), id, SnapshotEntry.CRON), cronRestored, cronDeleted);
      }
      if (m.entry(SnapshotEntry.CREDENTIALS).isPresent()) {
        notes.add("credentials were not restored: snapshots hold names and bindings only; compare them with "
            + "`warden snapshot diff " + id + "` and re-add or re-bind with `warden secrets`");
      }
      if (!walk.skipped().isEmpty()) {
        notes.add("left as they are (links and special files are never snapshotted): " + walk.skipped());
      }
    } catch (IOException e) {
      throw new SnapshotException("restore of " + id + " failed part-way (" + e.getMessage() + "); files written so far: "
          + written + ". The state before the restore is snapshot " + safety.id() + "; fix the error and restore again", e);
    }
    return new RestoreResult(id, safety.id(), written, deleted, cronRestored, cronDeleted, notes);
  }

  private void refuseSymlinkedParents(Path target) throws IOException {
    for (Path p = target.getParent(); p != null && p.startsWith(home.root()) && !p.equals(home.root()); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new IOException(p + " is a symbolic link; a restore never writes through links (remove it first)");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void restoreCron(byte[] doc, List<String> restored, List<String> deleted) throws IOException {
    Map<String, Object> m = Json.map(new String(doc, StandardCharsets.UTF_8));
    CronStore cron = new CronStore(dbOrNull);
    Set<String> names = new HashSet<>();
    for (Object o : (List<Object>) m.get("jobs")) {
      Map<String, Object> j = (Map<String, Object>) o;
      String name = (String) j.get("name");
      names.add(name);
      cron.put(new CronStore.Job(name, (String) j.get("schedule"), (String) j.get("prompt"),
          Labels.fromJson((String) j.get("label")), (String) j.get("principal"), Instant.parse((String) j.get("created")),
          Boolean.TRUE.equals(j.get("enabled")), null, null));
      restored.add(name);
    }
    for (CronStore.Job j : cron.all()) {
      if (!names.contains(j.name())) {
        cron.delete(j.name());
        deleted.add(j.name());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // retention

  /** Removes snapshots outside the retention, then every blob no remaining manifest references. */
  public synchronized Retention.PruneResult prune(Retention retention) throws SnapshotException {
    try (DirLock lock = DirLock.acquire(home.snapshots())) {
      List<SnapshotManifest> all = list();
      Instant cutoff = clock.instant().minus(retention.keepFor());
      List<SnapshotId> removed = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        SnapshotManifest m = all.get(i);
        boolean newest = i >= all.size() - retention.keepLast();
        boolean young = !retention.keepFor().isZero() && m.time().isAfter(cutoff);
        if (newest || young || m.forensic()) {
          continue;
        }
        Files.deleteIfExists(manifestsDir().resolve(m.id().value() + ".json"));
        Files.deleteIfExists(manifestsDir().resolve(m.id().value() + ".sig"));
        removed.add(m.id());
      }
      Set<String> referenced = new HashSet<>();
      for (SnapshotId id : ids()) {
        try {
          SnapshotManifest m = SnapshotManifest.parse(Files.readAllBytes(manifestsDir().resolve(id.value() + ".json")));
          m.entries().forEach(e -> referenced.add(e.sha256()));
        } catch (SnapshotException e) {
          throw new SnapshotException("pruning stopped: manifest " + id + " is unreadable, so its blobs cannot be told "
              + "apart from garbage (" + e.getMessage() + "); move it out of " + manifestsDir() + " and prune again", e);
        }
      }
      int blobs = 0;
      long bytes = 0;
      if (Files.isDirectory(blobsDir())) {
        try (Stream<Path> s = Files.walk(blobsDir())) {
          for (Path p : s.filter(Files::isRegularFile).toList()) {
            String n = p.getFileName().toString();
            if (!referenced.contains(n)) {
              bytes += Files.size(p);
              Files.delete(p);
              blobs++;
            }
          }
        }
      }
      return new Retention.PruneResult(removed, blobs, bytes);
    } catch (IOException e) {
      throw new SnapshotException("cannot prune " + home.snapshots() + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // items

  /** One diffable item: a file, a cron job or a credential binding. */
  private record Item(String path, String sha256, long size, String mode, byte[] contentOrNull, String blobOrNull) {
    byte[] content(SnapshotStore s) throws SnapshotException {
      if (contentOrNull != null) {
        return contentOrNull;
      }
      if (blobOrNull != null && size <= MAX_TEXT_DIFF_BYTES) {
        return s.blob(blobOrNull);
      }
      return null;
    }
  }

  private Map<String, Item> snapshotItems(SnapshotManifest m) {
    Map<String, Item> out = new TreeMap<>();
    for (SnapshotEntry e : m.entries()) {
      out.put(e.path(), new Item(e.path(), e.sha256(), e.size(), e.mode(), null, e.sha256()));
    }
    return out;
  }

  /**
   * The live state. With {@code storeBlobs} every content is also written to the blob store (the
   * bytes hashed are the bytes stored: a file changing during the walk cannot make a blob lie).
   */
  private Map<String, Item> liveItems(boolean storeBlobs) throws IOException {
    Map<String, Item> out = new TreeMap<>();
    HomeFiles.Walk walk = HomeFiles.walk(home, MAX_FILES);
    for (HomeFiles.LiveFile f : walk.files()) {
      if (f.size() > MAX_FILE_BYTES) {
        throw new IOException(f.rel() + " is " + f.size() + " bytes, more than the " + MAX_FILE_BYTES
            + "-byte limit of a snapshotted file; move it out of the Warden home");
      }
      byte[] b;
      try {
        b = Files.readAllBytes(f.file());
      } catch (NoSuchFileException e) {
        continue; // Deleted during the walk.
      }
      out.put(f.rel(), item(f.rel(), b, f.mode(), storeBlobs));
    }
    if (dbOrNull != null) {
      out.put(SnapshotEntry.CRON, item(SnapshotEntry.CRON, cronDocument(), "", storeBlobs));
    }
    out.put(SnapshotEntry.CREDENTIALS, item(SnapshotEntry.CREDENTIALS, credentialsDocument(), "", storeBlobs));
    return out;
  }

  private Item item(String path, byte[] b, String mode, boolean storeBlobs) throws IOException {
    String sha = Hashing.sha256Hex(b);
    if (storeBlobs) {
      Path p = blobPath(sha);
      if (!Files.exists(p) || Files.size(p) != b.length) {
        AtomicFiles.write(p, b, PosixFilePermissions.fromString("rw-------"));
      }
    }
    return new Item(path, sha, b.length, mode, b.length <= MAX_TEXT_DIFF_BYTES ? b : null, null);
  }

  private byte[] cronDocument() {
    List<Object> jobs = new ArrayList<>();
    for (CronStore.Job j : new CronStore(dbOrNull).all()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", j.name());
      m.put("schedule", j.schedule());
      m.put("prompt", j.prompt());
      m.put("label", Labels.toJson(j.label()));
      m.put("principal", j.principal());
      m.put("created", j.created().toString());
      m.put("enabled", j.enabled());
      jobs.add(m);
    }
    return CanonicalJson.write(Map.of("format", "warden-cron/1", "jobs", jobs)).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] credentialsDocument() throws IOException {
    List<CredentialBinding> list = new ArrayList<>(credentials.credentials(home));
    list.sort((a, b) -> a.name().compareTo(b.name()));
    List<Object> out = new ArrayList<>();
    for (CredentialBinding c : list) {
      out.add(c.toMap());
    }
    return CanonicalJson.write(Map.of("format", "warden-credentials/1", "credentials", out)).getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces the cron and credential documents by one item per job / credential, for per-name diffs. */
  @SuppressWarnings("unchecked")
  private Map<String, Item> expand(Map<String, Item> items) throws SnapshotException {
    Map<String, Item> out = new TreeMap<>();
    for (Item it : items.values()) {
      String prefix = it.path().equals(SnapshotEntry.CRON) ? "cron:" : it.path().equals(SnapshotEntry.CREDENTIALS)
          ? "credential:" : null;
      if (prefix == null) {
        out.put(it.path(), it);
        continue;
      }
      byte[] doc = it.contentOrNull() != null ? it.contentOrNull() : blob(it.blobOrNull());
      try {
        Map<String, Object> m = Json.map(new String(doc, StandardCharsets.UTF_8));
        List<Object> list = (List<Object>) m.getOrDefault(prefix.equals("cron:") ? "jobs" : "credentials", List.of());
        for (Object o : list) {
          Map<String, Object> one = (Map<String, Object>) o;
          byte[] b = Json.pretty(new TreeMap<>(one)).getBytes(StandardCharsets.UTF_8);
          String path = prefix + one.get("name");
          out.put(path, new Item(path, Hashing.sha256Hex(b), b.length, "", b, null));
        }
      } catch (IOException | RuntimeException e) {
        throw new SnapshotException(it.path() + " document is malformed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // audit

  private long lastAuditSeq() throws SnapshotException {
    if (dbOrNull == null) {
      return 0;
    }
    try {
      return new SqliteAuditStore(dbOrNull).last().map(AuditRecord::seq).orElse(0L);
    } catch (AuditException e) {
      throw new SnapshotException("cannot read the audit log in " + dbOrNull.file() + ": " + e.getMessage(), e);
    }
  }

  private List<AuditRecord> auditBetween(long fromExclusive, long toInclusive) throws SnapshotException {
    List<AuditRecord> out = new ArrayList<>();
    if (dbOrNull == null || toInclusive <= fromExclusive) {
      return out;
    }
    SqliteAuditStore store = new SqliteAuditStore(dbOrNull);
    long after = fromExclusive;
    try {
      while (after < toInclusive && out.size() < MAX_AUDIT_RECORDS_SCANNED) {
        List<AuditRecord> page = store.after(after, AUDIT_PAGE_RECORDS);
        if (page.isEmpty()) {
          break;
        }
        for (AuditRecord r : page) {
          if (r.seq() <= toInclusive) {
            out.add(r);
          }
        }
        after = page.getLast().seq();
      }
    } catch (AuditException e) {
      throw new SnapshotException("cannot read the audit log to explain changes: " + e.getMessage(), e);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  Path manifestsDir() {
    return home.snapshots().resolve("manifests");
  }

  Path blobsDir() {
    return home.snapshots().resolve("blobs");
  }

  Path blobPath(String sha256) {
    return blobsDir().resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  private void requireWritable(String what) throws SnapshotException {
    if (signerOrNull == null || dbOrNull == null) {
      throw new SnapshotException("cannot " + what + " with a read-only snapshot store (no agent key or no state.db)");
    }
  }

  private void requireDb(String what) throws SnapshotException {
    if (dbOrNull == null) {
      throw new SnapshotException("cannot " + what + " without state.db (cron jobs and the audit log live there)");
    }
  }

  /** How long ago {@code m} was taken, for listings. */
  public Duration age(SnapshotManifest m) {
    return Duration.between(m.time(), clock.instant());
  }
}
