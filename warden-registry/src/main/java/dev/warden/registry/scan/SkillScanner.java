package dev.warden.registry.scan;

import dev.warden.kernel.WardenBugException;
import dev.warden.registry.scan.internal.Blobs;
import dev.warden.registry.scan.internal.Findings;
import dev.warden.registry.scan.internal.Hosts;
import dev.warden.registry.scan.internal.LineRules;
import dev.warden.registry.scan.internal.ManifestRules;
import dev.warden.registry.scan.internal.SourceFile;
import dev.warden.registry.scan.internal.Typosquat;
import dev.warden.registry.scan.internal.Unicode;
import dev.warden.registry.skill.InstallSpec;
import dev.warden.registry.skill.PermissionManifest;
import dev.warden.registry.skill.Skill;
import dev.warden.registry.skill.SkillFormatException;
import dev.warden.registry.skill.SkillLoader;
import dev.warden.registry.skill.SkillTier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Static scanner for skills: reads the Markdown instructions as well as the scripts and reports
 * findings with a reason code, severity and file:line, and a verdict per skill.
 *
 * <h2>Design notes</h2>
 *
 * <p><b>What it reads.</b> Every text file in the skill folder: Markdown (prose as instructions to
 * the model; code blocks and inline code as commands), scripts (shell, Python, JavaScript,
 * PowerShell, …), data files (for hidden text and blobs). Binary files are checked for executable
 * headers and encrypted zip entries only. Symlinks are never followed.
 *
 * <p><b>Context.</b> The rules look at what a command does, not at the words it contains: a
 * {@code curl} that calls an API is ordinary; a {@code curl} piped into {@code sh} is a finding; a
 * declared env var read by a script is ordinary; serialising the whole environment is a finding.
 * See {@code docs/scanner.md} for each rule and how context raises or lowers it.
 *
 * <p><b>Concurrency.</b> A scanner is immutable and thread-safe; {@link #scanAll} scans skills on a
 * fixed pool of {@link #threads} platform threads (the work is CPU-bound regex matching).
 *
 * <p><b>Failure.</b> A skill that does not load is still scanned as raw text and gets WS001. An I/O
 * error on one skill becomes a WS001 finding for that skill; it never stops a scan of many.
 *
 * <p><b>Threats.</b> The input is hostile: every file size, file count, finding count and quoted
 * snippet is bounded (constants below and in the internal classes), and nothing in the skill is
 * executed or parsed by anything but regular expressions and the YAML loader's safe mode.
 */
public final class SkillScanner {
  /** Largest prefix of one file that is scanned, in bytes. */
  public static final int MAX_SCANNED_FILE_BYTES = 2 * 1024 * 1024;
  /** Most files scanned per skill. */
  public static final int MAX_FILES_SCANNED_PER_SKILL = 500;
  /** Deepest folder scanned inside a skill, and searched for skills under a scan root. */
  public static final int MAX_DIR_DEPTH = 10;
  /** Bytes read to tell binary from text. */
  private static final int SNIFF_BYTES = 8192;

  private static final Set<String> MEDIA_EXTENSIONS = Set.of(
      "png", "jpg", "jpeg", "gif", "webp", "ico", "bmp", "tiff", "pdf", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4",
      "wav", "ogg", "m4a", "mov", "webm", "onnx", "bin", "pt", "safetensors", "gguf");

  private final Map<String, String> knownSkeletons;
  private final int threads;

  /** A scanner that checks names against the built-in list of popular skills only. */
  public SkillScanner() {
    this(Set.of());
  }

  /**
   * A scanner that checks names against the built-in popular list plus {@code installedSkillNames}
   * (the skills the owner already has, so a look-alike of one of them stands out).
   */
  public SkillScanner(Set<String> installedSkillNames) {
    this(installedSkillNames, Runtime.getRuntime().availableProcessors());
  }

  public SkillScanner(Set<String> installedSkillNames, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    Set<String> k = new TreeSet<>(popularSkillNames());
    installedSkillNames.forEach(n -> k.add(n.toLowerCase(Locale.ROOT)));
    Map<String, String> sk = new java.util.TreeMap<>();
    k.forEach(n -> sk.put(n, Typosquat.skeleton(n)));
    this.knownSkeletons = Collections.unmodifiableMap(sk);
    this.threads = threads;
  }

  /** The built-in list of popular skill names used for typosquat checks. */
  public static Set<String> popularSkillNames() {
    return Popular.NAMES;
  }

  private static final class Popular {
    static final Set<String> NAMES = load();

    private static Set<String> load() {
      try (InputStream in = SkillScanner.class.getResourceAsStream("popular-skills.txt")) {
        if (in == null) {
          throw new WardenBugException("popular-skills.txt missing from the warden-registry jar");
        }
        Set<String> out = new TreeSet<>();
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
        return Collections.unmodifiableSet(out);
      } catch (IOException e) {
        throw new WardenBugException("cannot read popular-skills.txt", e);
      }
    }
  }

  /** Scans one skill folder. */
  public ScanReport scan(Path skillDir) {
    Path dir = skillDir.toAbsolutePath().normalize();
    Findings out = new Findings();
    Skill skill = null;
    try {
      skill = SkillLoader.load(dir, SkillTier.MANAGED);
    } catch (SkillFormatException e) {
      out.add(Rule.WS001, SkillLoader.SKILL_FILE, Math.max(0, e.line()), "does not load: " + e.getMessage());
    }
    String name = skill != null ? skill.name() : dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    try {
      scanFiles(dir, skill, out);
    } catch (IOException | UncheckedIOException e) {
      out.add(Rule.WS001, "", 0, "could not read the skill folder: " + e);
    }
    if (skill != null) {
      installSteps(skill, out);
      String imitated = Typosquat.imitatedOrNull(skill.name(), knownSkeletons);
      if (imitated != null) {
        out.add(Rule.WS701, SkillLoader.SKILL_FILE, 2, "the name '" + skill.name() + "' imitates the known skill '" + imitated + "'");
      }
    }
    return ScanReport.of(name, dir, out.toList());
  }

  private void scanFiles(Path dir, Skill skillOrNull, Findings out) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(dir, EnumSet.noneOf(FileVisitOption.class), MAX_DIR_DEPTH, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        String n = d.getFileName() == null ? "" : d.getFileName().toString();
        return !d.equals(dir) && (n.equals(".git") || n.equals("node_modules")) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
        files.add(f);
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort(null);
    boolean hasCode = false;
    int scanned = 0;
    for (Path f : files) {
      String rel = dir.relativize(f).toString().replace('\\', '/');
      if (Files.isSymbolicLink(f)) {
        symlink(dir, f, rel, out);
        continue;
      }
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (++scanned > MAX_FILES_SCANNED_PER_SKILL) {
        out.add(Rule.WS002, rel, 0, "more than " + MAX_FILES_SCANNED_PER_SKILL + " files (MAX_FILES_SCANNED_PER_SKILL); the rest were not scanned");
        break;
      }
      byte[] bytes = readPrefix(f, MAX_SCANNED_FILE_BYTES);
      if (Files.size(f) > MAX_SCANNED_FILE_BYTES) {
        out.add(Rule.WS002, rel, 0, "file is larger than " + MAX_SCANNED_FILE_BYTES + " bytes (MAX_SCANNED_FILE_BYTES); only the start was scanned");
      }
      if (isBinary(bytes)) {
        binary(rel, bytes, out);
        continue;
      }
      String ext = rel.contains(".") ? rel.substring(rel.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
      if (MEDIA_EXTENSIONS.contains(ext)) {
        continue;
      }
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
      int frontmatterEnd = 0;
      if (rel.equals(SkillLoader.SKILL_FILE)) {
        frontmatterEnd = skillOrNull != null ? skillOrNull.bodyFirstLine() - 1 : rawFrontmatterEnd(text);
      }
      SourceFile sf = SourceFile.of(rel, text, frontmatterEnd);
      Map<Integer, LineRules.UnitFacts> units = new HashMap<>();
      LineRules.scan(sf, out, units);
      LineRules.combine(sf, units, out);
      Unicode.scan(sf, out);
      Unicode.scanHomoglyphs(sf, out);
      Blobs.scan(sf, out);
      if (sf.isCode()) {
        hasCode = true;
        if (skillOrNull != null && !skillOrNull.manifest().equals(PermissionManifest.NONE)) {
          ManifestRules.scan(skillOrNull, sf, out);
        }
      }
    }
    if (hasCode && skillOrNull != null && skillOrNull.manifest().equals(PermissionManifest.NONE)) {
      out.add(Rule.WS604, "", 0, "the skill has scripts but no permission manifest: Warden will not run them");
    }
  }

  private static void symlink(Path dir, Path link, String rel, Findings out) {
    try {
      Path target = Files.readSymbolicLink(link);
      Path resolved = link.getParent().resolve(target).normalize();
      if (!resolved.startsWith(dir)) {
        out.add(Rule.WS605, rel, 0, "symlink to " + target + " leaves the skill folder (could expose host files)");
      }
    } catch (IOException e) {
      out.add(Rule.WS605, rel, 0, "unreadable symlink: " + e.getMessage());
    }
  }

  private static void binary(String rel, byte[] b, Findings out) {
    if (b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
      out.add(Rule.WS107, rel, 0, "an ELF executable ships with the skill (cannot be reviewed as source)");
    } else if (b.length >= 2 && b[0] == 'M' && b[1] == 'Z') {
      out.add(Rule.WS107, rel, 0, "a Windows executable ships with the skill");
    } else if (b.length >= 4 && ((b[0] & 0xff) == 0xcf || (b[0] & 0xff) == 0xce || (b[0] & 0xff) == 0xca)
        && (b[1] & 0xff) == 0xfa && (b[2] & 0xff) == 0xed && (b[3] & 0xff) == 0xfe
        || b.length >= 4 && (b[0] & 0xff) == 0xca && (b[1] & 0xff) == 0xfe && (b[2] & 0xff) == 0xba && (b[3] & 0xff) == 0xbe) {
      out.add(Rule.WS107, rel, 0, "a macOS executable ships with the skill");
    } else if (b.length >= 8 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4 && (b[6] & 1) == 1) {
      out.add(Rule.WS104, rel, 0, "an encrypted (password-protected) zip ships with the skill");
    } else if (b.length >= 6 && b[0] == '7' && b[1] == 'z' && (b[2] & 0xff) == 0xbc && (b[3] & 0xff) == 0xaf) {
      out.add(Rule.WS104, Severity.MEDIUM, rel, 0, "a 7z archive ships with the skill (often password-protected; not scanned)");
    }
  }

  private static void installSteps(Skill skill, Findings out) {
    int line = 2;
    for (InstallSpec s : skill.requirements().install()) {
      if (s.isDownload()) {
        for (String h : Hosts.hostsIn(s.target())) {
          if (Hosts.isExfilHost(h) || Hosts.isPublicIp(h) || Hosts.isShortener(h)) {
            out.add(Rule.WS206, SkillLoader.SKILL_FILE, line, "install step '" + s.id() + "' downloads from " + h);
          }
        }
        if (s.sha256OrNull() == null || !s.sha256OrNull().matches("[0-9a-fA-F]{64}")) {
          String t = s.target().toLowerCase(Locale.ROOT);
          boolean executable = !s.bins().isEmpty() || t.matches(".*\\.(sh|exe|msi|pkg|dmg|appimage|bin|run|deb|rpm|ps1|bat|command|py|jar)(\\?.*)?$");
          out.add(Rule.WS105, executable ? Severity.MEDIUM : Severity.LOW, SkillLoader.SKILL_FILE, line,
              "install step '" + s.id() + "' downloads " + s.target() + " without a pinned sha256"
                  + (executable ? " and provides executables" : " (data, not executed)"));
        }
      }
    }
  }

  private static int rawFrontmatterEnd(String text) {
    String[] lines = text.split("\r?\n", -1);
    if (lines.length == 0 || !lines[0].strip().equals("---")) {
      return 0;
    }
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].strip().equals("---")) {
        return i + 1;
      }
    }
    return 0;
  }

  private static byte[] readPrefix(Path f, int max) throws IOException {
    try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
      return in.readNBytes(max);
    }
  }

  private static boolean isBinary(byte[] b) {
    int n = Math.min(b.length, SNIFF_BYTES);
    for (int i = 0; i < n; i++) {
      if (b[i] == 0) {
        return true;
      }
    }
    return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
  }

  /**
   * Finds every skill folder under {@code roots} (a root that holds a {@code SKILL.md} is itself a
   * skill; otherwise folders holding one are searched for, up to {@link #MAX_DIR_DEPTH} deep, not
   * descending into a skill) and scans them in parallel. Reports come back in path order.
   */
  public List<ScanReport> scanAll(List<Path> roots, ProgressListener progress) {
    List<Path> dirs = discover(roots);
    int total = dirs.size();
    AtomicInteger done = new AtomicInteger();
    Object lock = new Object();
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, total)))) {
      List<Future<ScanReport>> futures = new ArrayList<>(total);
      for (Path d : dirs) {
        futures.add(pool.submit(() -> {
          ScanReport r = scan(d);
          synchronized (lock) {
            try {
              progress.onSkillScanned(done.incrementAndGet(), total, r);
            } catch (RuntimeException ignored) {
              // A broken listener must not stop the scan; see ProgressListener.
            }
          }
          return r;
        }));
      }
      List<ScanReport> reports = new ArrayList<>(total);
      for (Future<ScanReport> f : futures) {
        reports.add(f.get());
      }
      return reports;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", e);
    } catch (ExecutionException e) {
      throw new WardenBugException("scanner failed on a skill: " + e.getCause(), e.getCause());
    }
  }

  /** The skill folders {@link #scanAll} would scan, sorted. */
  public static List<Path> discover(List<Path> roots) {
    Set<Path> out = new TreeSet<>();
    for (Path root : roots) {
      Path r = root.toAbsolutePath().normalize();
      if (Files.isRegularFile(r.resolve(SkillLoader.SKILL_FILE))) {
        out.add(r);
        continue;
      }
      if (!Files.isDirectory(r)) {
        continue;
      }
      try {
        Files.walkFileTree(r, EnumSet.noneOf(FileVisitOption.class), MAX_DIR_DEPTH, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (Files.isRegularFile(d.resolve(SkillLoader.SKILL_FILE))) {
              out.add(d);
              return FileVisitResult.SKIP_SUBTREE;
            }
            String n = d.getFileName() == null ? "" : d.getFileName().toString();
            return n.equals(".git") || n.equals("node_modules") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot walk scan root " + r, e);
      }
    }
    return List.copyOf(out);
  }

  /** Thread count used by {@link #scanAll}. */
  public int threads() {
    return threads;
  }

}
