package dev.warden.registry.pkg;

import dev.warden.kernel.Hashing;
import dev.warden.registry.pkg.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Installs verified packages into a skills directory, through quarantine, and keeps
 * {@code skills.lock} in step.
 *
 * <p>Layout under the skills directory: {@code <name>/} the active skill; {@code .quarantine/<name>/}
 * a staged package ({@code content/}, {@code manifest.json}, {@code signature.json}) waiting for
 * its scan; {@code .installed/<name>/} the manifest and signature of the active version, which
 * {@link #check} verifies the files against; {@code .trash/} replaced trees on their way out.
 * Dot-directories are never skill names ({@link PackageManifest#NAME}), so skill loaders must skip
 * them, and a quarantined skill is never where a loader looks.
 *
 * <p>Steps: {@link #stage} (policy checks on source and package, unpack into quarantine, lock
 * entry under {@code quarantined}); the scanner reads {@link StagedSkill#contentDir()};
 * {@link #release} (policy check on the verdict, rename into place, lock entry moved to
 * {@code skills}). {@link #install} runs all three.
 *
 * <p>Failure: each replacement is unpack-to-temp then rename, so a skill directory is either the
 * old tree or the new one. A crash between the renames of one release can leave the skill and
 * {@code .installed} out of step; {@link #check} reports it and installing again repairs it.
 *
 * <p>Concurrency: methods are synchronized; one process owns a skills directory.
 */
public final class SkillInstaller {
  public static final String QUARANTINE_DIR = ".quarantine";
  public static final String INSTALLED_DIR = ".installed";
  public static final String TRASH_DIR = ".trash";
  public static final String MANIFEST_FILE = "manifest.json";
  public static final String SIGNATURE_FILE = "signature.json";
  public static final String CONTENT_DIR = "content";

  /** Scans a staged skill directory (the scanner lives in another package). */
  @FunctionalInterface
  public interface Scanner {
    ScanVerdict scan(Path skillDir) throws IOException;
  }

  /** A package unpacked into quarantine. */
  public record StagedSkill(String name, String version, Path contentDir, SkillsLock.Entry entry, UpdatePlan plan) {}

  /** A skill released from quarantine into place. */
  public record InstallResult(String name, String version, Path dir, ScanVerdict verdict, UpdatePlan plan) {}

  private final Path skillsDir;
  private final Path lockFile;
  private final InstallPolicy policy;

  public SkillInstaller(Path skillsDir, Path lockFile, InstallPolicy policy) {
    this.skillsDir = Objects.requireNonNull(skillsDir).toAbsolutePath().normalize();
    this.lockFile = Objects.requireNonNull(lockFile);
    this.policy = Objects.requireNonNull(policy);
  }

  /**
   * The kernel action for an install, update or remove, so that the operation is decided and
   * audited by the kernel before this installer runs ({@code operation}: install, update, remove).
   */
  public static dev.warden.kernel.Action.SkillInstall action(String operation, String name, SkillSource source, String versionOrNull) {
    return new dev.warden.kernel.Action.SkillInstall(operation, name, source.describe(), versionOrNull);
  }

  public InstallPolicy policy() {
    return policy;
  }

  public Path skillDir(String name) {
    PackageManifest.requireName(name);
    return skillsDir.resolve(name);
  }

  public Path quarantineDir(String name) {
    PackageManifest.requireName(name);
    return skillsDir.resolve(QUARANTINE_DIR).resolve(name);
  }

  public synchronized SkillsLock lock() throws IOException {
    return SkillsLock.read(lockFile);
  }

  /** Stage, scan, release. The skill stays quarantined if the scan is above the threshold. */
  public InstallResult install(VerifiedPackage pkg, SkillSource source, boolean yanked, Scanner scanner)
      throws InstallRefusedException, PackageException, IOException {
    StagedSkill staged = stage(pkg, source, yanked);
    return release(staged.name(), scanner.scan(staged.contentDir()));
  }

  /** Policy checks on source and package, then unpack into quarantine and record it in the lock. */
  public synchronized StagedSkill stage(VerifiedPackage pkg, SkillSource source, boolean yanked)
      throws InstallRefusedException, PackageException, IOException {
    require(policy.checkSource(source));
    require(policy.checkPackage(pkg, yanked));
    if (source instanceof SkillSource.Registry r && (!r.slug().equals(pkg.name()) || !r.version().equals(pkg.version()))) {
      throw new InstallRefusedException("source.mismatch", "source says " + r.slug() + "@" + r.version() + " but the package is "
          + pkg.name() + "@" + pkg.version());
    }
    UpdatePlan plan = plan(pkg);
    Path quarantine = skillsDir.resolve(QUARANTINE_DIR);
    Files.createDirectories(quarantine);
    Path tmp = quarantine.resolve(".tmp-" + pkg.name() + "-" + UUID.randomUUID());
    PackageUnpacker.unpack(pkg, tmp.resolve(CONTENT_DIR));
    AtomicFiles.write(tmp.resolve(MANIFEST_FILE), pkg.source().manifest());
    if (pkg.source().signatureOrNull() != null) {
      AtomicFiles.write(tmp.resolve(SIGNATURE_FILE), pkg.source().signatureOrNull());
    }
    replace(tmp, quarantineDir(pkg.name()));
    SkillsLock.Entry entry = SkillsLock.Entry.of(pkg, source);
    lock().withQuarantined(entry).write(lockFile);
    return new StagedSkill(pkg.name(), pkg.version(), quarantineDir(pkg.name()).resolve(CONTENT_DIR), entry, plan);
  }

  /** Releases a quarantined skill if {@code verdict} passes the policy; otherwise it stays quarantined. */
  public synchronized InstallResult release(String name, ScanVerdict verdict) throws InstallRefusedException, IOException {
    SkillsLock lock = lock();
    SkillsLock.Entry entry = lock.quarantinedEntry(name).orElseThrow(() -> new InstallRefusedException("scan.nothing_staged",
        "no quarantined package for " + name + "; stage it first"));
    Path staged = quarantineDir(name);
    if (!Files.isDirectory(staged.resolve(CONTENT_DIR), LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("quarantine of " + name + " is missing " + staged.resolve(CONTENT_DIR) + "; stage the package again");
    }
    require(policy.checkScan(name, verdict));
    // what was scanned must still be what was verified: re-check the quarantine against the lock
    byte[] stagedManifest = Files.readAllBytes(staged.resolve(MANIFEST_FILE));
    PackageManifest manifest;
    try {
      manifest = PackageManifest.parse(stagedManifest);
    } catch (PackageException e) {
      throw new InstallRefusedException("quarantine.changed", "quarantined manifest of " + name + " is unreadable: " + e.getMessage());
    }
    List<String> drift = new ArrayList<>(compareTree(staged.resolve(CONTENT_DIR), manifest));
    if (!Hashing.sha256Hex(stagedManifest).equals(entry.manifestSha256())) {
      drift.add("manifest hash differs from the one recorded when it was staged");
    }
    if (!drift.isEmpty()) {
      throw new InstallRefusedException("quarantine.changed", "the quarantined copy of " + name
          + " changed after it was verified, so the scan result does not apply: " + drift + "; stage it again");
    }
    UpdatePlan plan = planAgainstInstalled(name, manifest, entry.publisherKeyIdOrNull());
    Path installedDir = skillsDir.resolve(INSTALLED_DIR);
    Files.createDirectories(installedDir);
    Path metaTmp = installedDir.resolve(".tmp-" + name + "-" + UUID.randomUUID());
    Files.createDirectories(metaTmp);
    Files.copy(staged.resolve(MANIFEST_FILE), metaTmp.resolve(MANIFEST_FILE));
    if (Files.exists(staged.resolve(SIGNATURE_FILE))) {
      Files.copy(staged.resolve(SIGNATURE_FILE), metaTmp.resolve(SIGNATURE_FILE));
    }
    replace(staged.resolve(CONTENT_DIR), skillDir(name));
    replace(metaTmp, installedDir.resolve(name));
    lock.withReleased(name).write(lockFile);
    deleteTree(staged);
    return new InstallResult(name, entry.version(), skillDir(name), verdict, plan);
  }

  /** What installing {@code pkg} would change. */
  public synchronized UpdatePlan plan(VerifiedPackage pkg) throws IOException {
    return planAgainstInstalled(pkg.name(), pkg.manifest(), pkg.keyOrNull() == null ? null : pkg.keyOrNull().keyId());
  }

  /** Removes an installed or quarantined skill and its lock entries; false if there was nothing. */
  public synchronized boolean remove(String name) throws IOException {
    boolean any = false;
    for (Path p : List.of(skillDir(name), skillsDir.resolve(INSTALLED_DIR).resolve(name), quarantineDir(name))) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        any = true;
        Path trash = moveToTrash(p);
        deleteTree(trash);
      }
    }
    SkillsLock lock = lock();
    if (lock.skill(name).isPresent() || lock.quarantinedEntry(name).isPresent()) {
      any = true;
      lock.without(name).write(lockFile);
    }
    return any;
  }

  /**
   * Checks an installed skill against its lock entry: the recorded manifest has the locked hash,
   * the directory holds exactly the manifest's files (size, hash, executable bit; no links or
   * extras), and, when {@code trustOrNull} is given, the signature still verifies and its key is
   * still admitted (a key revoked after install shows up here).
   */
  public synchronized LockCheck check(String name, PublisherTrust trustOrNull) throws IOException {
    List<String> problems = new ArrayList<>();
    Optional<SkillsLock.Entry> entry = lock().skill(name);
    Path dir = skillDir(name);
    if (entry.isEmpty()) {
      problems.add(Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
          ? dir + " exists but " + name + " is not in " + lockFile + " (installed out of band?)"
          : name + " is not installed");
      return new LockCheck(name, problems);
    }
    Path meta = skillsDir.resolve(INSTALLED_DIR).resolve(name);
    byte[] manifestBytes;
    try {
      manifestBytes = Files.readAllBytes(meta.resolve(MANIFEST_FILE));
    } catch (IOException e) {
      problems.add("the installed manifest " + meta.resolve(MANIFEST_FILE) + " is missing; reinstall " + name);
      return new LockCheck(name, problems);
    }
    String hash = Hashing.sha256Hex(manifestBytes);
    if (!hash.equals(entry.get().manifestSha256())) {
      problems.add("installed manifest has SHA-256 " + hash + " but skills.lock pins " + entry.get().manifestSha256());
    }
    PackageManifest manifest;
    try {
      manifest = PackageManifest.parse(manifestBytes);
    } catch (PackageException e) {
      problems.add(e.getMessage());
      return new LockCheck(name, problems);
    }
    if (!manifest.version().equals(entry.get().version())) {
      problems.add("installed version " + manifest.version() + " but skills.lock pins " + entry.get().version());
    }
    problems.addAll(compareTree(dir, manifest));
    if (trustOrNull != null && entry.get().publisherKeyIdOrNull() != null) {
      try {
        PackageSignature sig = PackageSignature.parse(Files.readAllBytes(meta.resolve(SIGNATURE_FILE)));
        if (!sig.key().keyId().equals(entry.get().publisherKeyIdOrNull()) || !sig.verifies(manifestBytes)) {
          problems.add("the recorded signature does not verify over the installed manifest with the locked key");
        } else {
          trustOrNull.admit(sig.key());
        }
      } catch (PackageException e) {
        problems.add("publisher key no longer accepted: " + e.getMessage());
      } catch (IOException e) {
        problems.add("the recorded signature " + meta.resolve(SIGNATURE_FILE) + " is missing");
      }
    }
    return new LockCheck(name, problems);
  }

  /** Checks every locked skill, and reports skill directories that are not in the lock. */
  public synchronized List<LockCheck> checkAll(PublisherTrust trustOrNull) throws IOException {
    List<LockCheck> out = new ArrayList<>();
    for (String name : lock().skills().keySet()) {
      out.add(check(name, trustOrNull));
    }
    if (Files.isDirectory(skillsDir)) {
      try (Stream<Path> s = Files.list(skillsDir)) {
        for (Path p : s.sorted().toList()) {
          String n = p.getFileName().toString();
          if (!n.startsWith(".") && lock().skill(n).isEmpty()) {
            out.add(new LockCheck(n, List.of(p + " is not in " + lockFile + " (installed out of band?)")));
          }
        }
      }
    }
    return out;
  }

  private UpdatePlan planAgainstInstalled(String name, PackageManifest next, String nextKeyIdOrNull) throws IOException {
    Path installed = skillsDir.resolve(INSTALLED_DIR).resolve(name).resolve(MANIFEST_FILE);
    if (!Files.exists(installed)) {
      List<String> all = next.files().stream().map(PackageManifest.FileEntry::path).toList();
      List<String> exec = next.files().stream().filter(PackageManifest.FileEntry::executable).map(PackageManifest.FileEntry::path).toList();
      return new UpdatePlan(name, null, next.version(), all, List.of(), List.of(), exec, false);
    }
    PackageManifest current;
    try {
      current = PackageManifest.parse(Files.readAllBytes(installed));
    } catch (PackageException e) {
      throw new IOException("installed manifest of " + name + " is unreadable: " + e.getMessage(), e);
    }
    Map<String, PackageManifest.FileEntry> before = new HashMap<>();
    current.files().forEach(f -> before.put(f.path(), f));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> newlyExec = new ArrayList<>();
    for (PackageManifest.FileEntry f : next.files()) {
      PackageManifest.FileEntry old = before.remove(f.path());
      if (old == null) {
        added.add(f.path());
      } else if (!old.sha256().equals(f.sha256()) || old.executable() != f.executable()) {
        changed.add(f.path());
      }
      if (f.executable() && (old == null || !old.executable())) {
        newlyExec.add(f.path());
      }
    }
    List<String> removed = before.keySet().stream().sorted().toList();
    boolean keyChanged = !Objects.equals(current.publisherKeyId(), next.publisherKeyId())
        || (nextKeyIdOrNull != null && !nextKeyIdOrNull.equals(current.publisherKeyId()));
    return new UpdatePlan(name, current.version(), next.version(), added, removed, changed, newlyExec, keyChanged);
  }

  private static List<String> compareTree(Path dir, PackageManifest manifest) throws IOException {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      problems.add(dir + " is missing or not a directory");
      return problems;
    }
    Map<String, PackageManifest.FileEntry> expected = new HashMap<>();
    manifest.files().forEach(f -> expected.put(f.path(), f));
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String rel = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (!attrs.isRegularFile()) {
          problems.add(rel + " is a link or special file; packages contain regular files only");
          return FileVisitResult.CONTINUE;
        }
        PackageManifest.FileEntry f = expected.remove(rel);
        if (f == null) {
          problems.add(rel + " is not part of the installed package (added after install)");
        } else if (attrs.size() != f.size() || !Hashing.sha256Hex(Files.readAllBytes(file)).equals(f.sha256())) {
          problems.add(rel + " was modified after install (hash differs from the signed manifest)");
        } else if (f.executable() != executable(file)) {
          problems.add(rel + " has a different executable bit than the signed manifest");
        }
        return FileVisitResult.CONTINUE;
      }
    });
    expected.keySet().stream().sorted().forEach(p -> problems.add(p + " is missing (deleted after install)"));
    return problems;
  }

  private static boolean executable(Path f) throws IOException {
    try {
      return Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private static void require(InstallDecision d) throws InstallRefusedException {
    if (d instanceof InstallDecision.Refused r) {
      throw new InstallRefusedException(r);
    }
  }

  /** Puts {@code source} at {@code target}, moving anything already there to the trash first. */
  private void replace(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path old = Files.exists(target, LinkOption.NOFOLLOW_LINKS) ? moveToTrash(target) : null;
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(target.getParent());
    if (old != null) {
      deleteTree(old);
    }
  }

  private Path moveToTrash(Path p) throws IOException {
    Path trash = skillsDir.resolve(TRASH_DIR);
    Files.createDirectories(trash);
    Path to = trash.resolve(p.getFileName() + "-" + UUID.randomUUID());
    Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
    return to;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
