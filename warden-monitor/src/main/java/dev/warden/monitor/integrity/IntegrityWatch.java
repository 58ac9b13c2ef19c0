package dev.warden.monitor.integrity;

import dev.warden.kernel.AtomicFiles;
import dev.warden.kernel.Hashing;
import dev.warden.kernel.WardenHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches WARDEN_HOME and reports changes made outside the kernel.
 *
 * <h2>How a change is judged</h2>
 * The watch keeps the SHA-256 of every watched file. When a file's content, existence or mode
 * changes it asks, in order: is a kernel-side write token open for this path ({@link #writing})?
 * Was the write announced with {@link #expect} (any content, or exactly this hash) within
 * {@link #EXPECTATION_TTL}? Did another Warden process (the CLI) announce it in
 * {@code run/integrity-expect/} ({@link #expectFromOtherProcess})? If none, the listener hears about
 * it. Either way the new content becomes the baseline, so each change is reported once.
 *
 * <h2>What is watched</h2>
 * {@code warden.yaml}, {@code skills.lock} and, recursively, {@code workspace/}, {@code policies/},
 * {@code skills/}, {@code keys/}, {@code vault/}, {@code ca/}. Deliberately not watched:
 * {@code state.db} with its {@code -wal}/{@code -shm}/{@code -journal} files, {@code events.db}
 * and {@code audit.head} (they change on every action; the audit log's hash chain and signed head
 * protect them, and {@code warden audit verify} checks them), {@code snapshots/} (signed manifests,
 * verified on use), {@code run/} and {@code exports/} (scratch), and {@code AtomicFiles} temp files.
 *
 * <h2>Design notes</h2>
 * <p>Two detectors feed one judge: a {@link WatchService} (inotify on Linux; events are debounced
 * by {@link #DEBOUNCE_MILLIS} so a multi-step write is judged once, when it settles) and a periodic
 * hash sweep of every watched file, which catches what the watch service misses (overflow, network
 * file systems, changes while the gateway was down — the first sweep compares against the baseline
 * taken at {@link #start}).
 * <p>Concurrency: the judge is synchronized; listeners run on the watch or sweep thread.
 * <p>Threats: this detects edits by other tools and people (an editor, a script, a compromised
 * process running as the same user without Warden's cooperation). Someone who can write the home
 * can also forge an announcement in {@code run/}; that attacker is caught by snapshot diffs
 * (UNEXPLAINED changes: announced writes are not audited actions) rather than here.
 */
public final class IntegrityWatch implements AutoCloseable {

  /** How long an {@link #expect} announcement stays valid. */
  public static final Duration EXPECTATION_TTL = Duration.ofSeconds(30);
  /** How long after a directory write token closes the files under it still count as the kernel's. */
  public static final Duration DIRECTORY_TOKEN_GRACE = Duration.ofMillis(1000);
  /** Quiet time after the last event before a path is judged. */
  public static final long DEBOUNCE_MILLIS = 200;
  /** Default interval of the fallback hash sweep. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(5);
  /** Files larger than this are judged by size and mtime, not hashed. */
  public static final long MAX_HASHED_FILE_BYTES = 64L * 1024 * 1024;
  /** Most files watched; beyond this the watch reports itself degraded to the listener once. */
  public static final int MAX_WATCHED_FILES = 200_000;

  /** Top-level files watched. */
  public static final List<String> WATCHED_FILES = List.of("warden.yaml", "skills.lock");
  /** Top-level directories watched recursively. */
  public static final List<String> WATCHED_DIRS = List.of("workspace", "policies", "skills", "keys", "vault", "ca");
  /** Where other processes announce writes. */
  public static final String ANNOUNCE_DIR = "run/integrity-expect";

  private record State(String hashOrNull, String mode) {}

  private record Expectation(String shaOrNull, Instant expires) {}

  private final WardenHome home;
  private final IntegrityListener listener;
  private final InstantSource clock;
  private final Duration sweepInterval;
  private final boolean useWatchService;
  private final Map<Path, State> baseline = new HashMap<>();
  private final Map<Path, List<Expectation>> expectations = new ConcurrentHashMap<>();
  private final Map<Path, Integer> openTokens = new ConcurrentHashMap<>();
  private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
  private final AtomicLong listenerFailures = new AtomicLong();
  private final AtomicLong reported = new AtomicLong();
  private boolean degraded;
  private WatchService watchServiceOrNull;
  private Thread watchThreadOrNull;
  private ScheduledExecutorService sweeperOrNull;

  public IntegrityWatch(WardenHome home, IntegrityListener listener) {
    this(home, listener, InstantSource.system(), DEFAULT_SWEEP_INTERVAL, true);
  }

  /**
   * @param sweepInterval how often the fallback sweep hashes every watched file
   * @param useWatchService false to rely on the sweep alone (file systems without change events)
   */
  public IntegrityWatch(WardenHome home, IntegrityListener listener, InstantSource clock, Duration sweepInterval,
      boolean useWatchService) {
    this.home = Objects.requireNonNull(home, "home");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepInterval.isNegative() || sweepInterval.isZero()) {
      throw new IllegalArgumentException("integrity sweep interval must be positive, got " + sweepInterval);
    }
    this.useWatchService = useWatchService;
  }

  // ---------------------------------------------------------------------------------------------
  // kernel-side announcements

  /**
   * Announces that the kernel is about to write {@code path}: a change to it within
   * {@link #EXPECTATION_TTL} whose content hashes to {@code sha256OrNull} (any content when null;
   * a deletion when the file is gone and the hash is null) is not reported.
   */
  public void expect(Path path, String sha256OrNull) {
    Path p = path.toAbsolutePath().normalize();
    expectations.computeIfAbsent(p, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(new Expectation(sha256OrNull, clock.instant().plus(EXPECTATION_TTL)));
  }

  /** A kernel-side write in progress; changes to the path while it is open are expected. */
  public final class WriteToken implements AutoCloseable {
    private final Path path;
    private boolean closed;

    private WriteToken(Path path) {
      this.path = path;
    }

    /** Ends the write: the file's content now is the expected one. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (Files.isDirectory(path)) {
        // A directory token's grace is short: long enough for the debounced judge to see the
        // writes it covered, short enough that an out-of-band edit right after is still caught.
        expectations.computeIfAbsent(path, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
            .add(new Expectation(null, clock.instant().plus(DIRECTORY_TOKEN_GRACE)));
      } else {
        expect(path, null);
      }
      openTokens.computeIfPresent(path, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /**
   * Opens a "kernel is writing" token for {@code path} (a file, or a directory and everything under
   * it): use in try-with-resources around the write.
   */
  public WriteToken writing(Path path) {
    Path p = path.toAbsolutePath().normalize();
    openTokens.merge(p, 1, Integer::sum);
    return new WriteToken(p);
  }

  /**
   * Announces a write from another Warden process (the CLI changing the vault or the config while
   * the gateway watches): a small file under {@code run/integrity-expect/} that the watching process
   * reads. Same meaning as {@link #expect}.
   */
  public static void expectFromOtherProcess(WardenHome home, Path path, String sha256OrNull, Duration ttl)
      throws IOException {
    Path p = path.toAbsolutePath().normalize();
    Path dir = home.root().resolve(ANNOUNCE_DIR);
    String text = p + "\n" + (sha256OrNull == null ? "*" : sha256OrNull) + "\n" + Instant.now().plus(ttl) + "\n";
    AtomicFiles.writeString(dir.resolve(Hashing.sha256Hex(p.toString()).substring(0, 32) + "-"
        + System.nanoTime()), text);
  }

  /**
   * Announces, from another Warden process, writes anywhere under {@code dir} for {@code ttl}
   * (the CLI changing the vault, installing a skill, restoring a snapshot while a gateway watches).
   */
  public static void expectUnderFromOtherProcess(WardenHome home, Path dir, Duration ttl) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    Path ann = home.root().resolve(ANNOUNCE_DIR);
    String text = d + "/\n*\n" + Instant.now().plus(ttl) + "\n";
    AtomicFiles.writeString(ann.resolve("dir-" + Hashing.sha256Hex(d.toString()).substring(0, 32) + "-" + System.nanoTime()), text);
  }

  // ---------------------------------------------------------------------------------------------
  // lifecycle

  /** Takes the baseline, then starts the watch service (if enabled) and the sweep. */
  public synchronized void start() throws IOException {
    if (sweeperOrNull != null) {
      return;
    }
    baseline.clear();
    for (Path f : watchedFiles()) {
      baseline.put(f, stateOf(f));
    }
    if (useWatchService) {
      watchServiceOrNull = FileSystems.getDefault().newWatchService();
      register(home.root(), false);
      for (String d : WATCHED_DIRS) {
        Path dir = home.root().resolve(d);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          registerTree(dir);
        }
      }
      watchThreadOrNull = new Thread(this::watchLoop, "warden-integrity-watch");
      watchThreadOrNull.setDaemon(true);
      watchThreadOrNull.start();
    }
    sweeperOrNull = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "warden-integrity-sweep");
      t.setDaemon(true);
      return t;
    });
    sweeperOrNull.scheduleWithFixedDelay(() -> {
      try {
        sweep();
      } catch (RuntimeException e) {
        listenerFailures.incrementAndGet();
      }
    }, sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (sweeperOrNull != null) {
      sweeperOrNull.shutdownNow();
      sweeperOrNull = null;
    }
    if (watchServiceOrNull != null) {
      try {
        watchServiceOrNull.close();
      } catch (IOException ignored) {
        // Closing releases the inotify descriptor; nothing to do on failure.
      }
      watchServiceOrNull = null;
    }
    if (watchThreadOrNull != null) {
      watchThreadOrNull.interrupt();
      watchThreadOrNull = null;
    }
  }

  /** Changes reported so far. */
  public long reportedCount() {
    return reported.get();
  }

  /** Listener calls that threw (and were swallowed). */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  // ---------------------------------------------------------------------------------------------
  // detectors

  /** Hashes every watched file and judges each difference from the baseline; returns how many were reported. */
  public synchronized int sweep() {
    long before = reported.get();
    Set<Path> all = new TreeSet<>(baseline.keySet());
    all.addAll(watchedFiles());
    for (Path p : all) {
      judge(p);
    }
    return (int) (reported.get() - before);
  }

  private void watchLoop() {
    WatchService ws = watchServiceOrNull;
    while (ws != null && !Thread.currentThread().isInterrupted()) {
      try {
        WatchKey first = ws.take();
        Set<Path> dirty = new HashSet<>();
        boolean overflow = drain(first, dirty);
        // Debounce: let a multi-step write settle, then judge each path once.
        Thread.sleep(DEBOUNCE_MILLIS);
        for (WatchKey k = ws.poll(); k != null; k = ws.poll()) {
          overflow |= drain(k, dirty);
        }
        if (overflow) {
          sweep();
        } else {
          synchronized (this) {
            for (Path p : dirty) {
              if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                registerTree(p);
                for (Path f : filesUnder(p)) {
                  judge(f);
                }
              } else {
                judge(p);
              }
            }
          }
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        listenerFailures.incrementAndGet();
      }
    }
  }

  private boolean drain(WatchKey key, Set<Path> dirty) {
    Path dir = keys.get(key);
    boolean overflow = false;
    for (WatchEvent<?> ev : key.pollEvents()) {
      if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
        overflow = true;
        continue;
      }
      if (dir != null && ev.context() instanceof Path rel) {
        Path p = dir.resolve(rel).toAbsolutePath().normalize();
        if (watched(p) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && insideWatchedDir(p)) {
          dirty.add(p);
        } else if (baseline.containsKey(p)) {
          dirty.add(p);
        } else if (dir.equals(home.root()) && WATCHED_DIRS.contains(rel.toString())) {
          dirty.add(p);
        }
        // A directory under a watched dir was deleted: judge the files we knew in it.
        if (ev.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
          for (Path known : new ArrayList<>(baseline.keySet())) {
            if (known.startsWith(p) && !known.equals(p)) {
              dirty.add(known);
            }
          }
        }
      }
    }
    if (!key.reset()) {
      keys.remove(key);
    }
    return overflow;
  }

  // ---------------------------------------------------------------------------------------------
  // judge

  private synchronized void judge(Path p) {
    State now = stateOf(p);
    State was = baseline.get(p);
    if (was == null && now == null) {
      return;
    }
    if (was != null && now != null && was.equals(now)) {
      return;
    }
    if (now == null) {
      baseline.remove(p);
    } else {
      if (was == null && baseline.size() >= MAX_WATCHED_FILES) {
        if (!degraded) {
          degraded = true;
          try {
            listener.onUnexpectedChange(home.root(), ChangeType.CREATED, "integrity watch degraded: more than "
                + MAX_WATCHED_FILES + " files under the watched directories; new files are no longer tracked — move bulk "
                + "data out of the Warden home");
          } catch (RuntimeException e) {
            listenerFailures.incrementAndGet();
          }
        }
        return;
      }
      baseline.put(p, now);
    }
    String hash = now == null ? null : now.hashOrNull();
    if (isExpected(p, hash)) {
      return;
    }
    ChangeType type = was == null ? ChangeType.CREATED : now == null ? ChangeType.DELETED : ChangeType.MODIFIED;
    String detail = switch (type) {
      case CREATED -> "created outside Warden (sha256 " + abbrev(hash) + ", mode " + now.mode() + ")";
      case DELETED -> "deleted outside Warden (was sha256 " + abbrev(was.hashOrNull()) + ")";
      case MODIFIED -> (Objects.equals(was.hashOrNull(), hash) ? "" : "content changed outside Warden (sha256 "
          + abbrev(was.hashOrNull()) + " → " + abbrev(hash) + ")")
          + (was.mode().equals(now.mode()) ? "" : (Objects.equals(was.hashOrNull(), hash) ? "" : "; ")
              + "mode " + was.mode() + " → " + now.mode());
    };
    reported.incrementAndGet();
    try {
      listener.onUnexpectedChange(p, type, detail + "; no kernel write was announced for it");
    } catch (RuntimeException e) {
      listenerFailures.incrementAndGet();
    }
  }

  private boolean isExpected(Path p, String hashOrNull) {
    // A token covers its path and, for a directory (a sandboxed command writing the workspace, a
    // skill install writing skills/), everything under it.
    for (Path open : openTokens.keySet()) {
      if (p.startsWith(open)) {
        return true;
      }
    }
    Instant now = clock.instant();
    List<Expectation> list = expectations.get(p);
    if (list != null) {
      list.removeIf(e -> e.expires().isBefore(now));
      for (Expectation e : list) {
        if (e.shaOrNull() == null || e.shaOrNull().equals(hashOrNull)) {
          list.remove(e);
          return true;
        }
      }
    }
    // A closed directory token leaves an any-content expectation on the directory: files under it
    // that settle within the TTL (the debounce judges after the write ended) are the kernel's.
    for (Path anc = p.getParent(); anc != null; anc = anc.getParent()) {
      List<Expectation> dirList = expectations.get(anc);
      if (dirList != null && dirList.stream().anyMatch(e -> e.shaOrNull() == null && !e.expires().isBefore(now))) {
        return true;
      }
    }
    return announcedByOtherProcess(p, hashOrNull, now);
  }

  private boolean announcedByOtherProcess(Path p, String hashOrNull, Instant now) {
    Path dir = home.root().resolve(ANNOUNCE_DIR);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    String prefix = Hashing.sha256Hex(p.toString()).substring(0, 32) + "-";
    try (var s = Files.list(dir)) {
      for (Path a : s.toList()) {
        String n = a.getFileName().toString();
        try {
          List<String> lines = Files.readAllLines(a, StandardCharsets.UTF_8);
          if (lines.size() < 3 || Instant.parse(lines.get(2)).isBefore(now)) {
            Files.deleteIfExists(a);
            continue;
          }
          if (lines.get(0).endsWith("/") && p.toString().startsWith(lines.get(0)) && lines.get(1).equals("*")) {
            // A directory announcement covers every file under it until it expires.
            return true;
          }
          if (n.startsWith(prefix) && lines.get(0).equals(p.toString())
              && (lines.get(1).equals("*") || lines.get(1).equals(hashOrNull))) {
            Files.deleteIfExists(a);
            return true;
          }
        } catch (IOException | RuntimeException e) {
          // A half-written or foreign file: not an announcement.
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // file helpers

  private State stateOf(Path p) {
    try {
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(p)) {
        return null;
      }
      String mode = Files.isSymbolicLink(p) ? "link"
          : dev.warden.monitor.snapshot.internal.HomeFiles.mode(p);
      if (Files.isSymbolicLink(p)) {
        return new State("link:" + Files.readSymbolicLink(p), mode);
      }
      long size = Files.size(p);
      if (size > MAX_HASHED_FILE_BYTES) {
        return new State("size:" + size + ",mtime:" + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS), mode);
      }
      return new State(Hashing.sha256Hex(Files.readAllBytes(p)), mode);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return new State("unreadable:" + e.getClass().getSimpleName(), "?");
    }
  }

  private boolean watched(Path p) {
    Path root = home.root();
    if (!p.startsWith(root) || p.equals(root)) {
      return false;
    }
    if (dev.warden.monitor.snapshot.internal.HomeFiles.isTempFile(p) || p.getFileName().toString().equals(".lock")) {
      return false;
    }
    Path rel = root.relativize(p);
    if (rel.getNameCount() == 1) {
      return WATCHED_FILES.contains(rel.toString());
    }
    return WATCHED_DIRS.contains(rel.getName(0).toString());
  }

  private boolean insideWatchedDir(Path p) {
    Path rel = home.root().relativize(p);
    return rel.getNameCount() >= 1 && WATCHED_DIRS.contains(rel.getName(0).toString());
  }

  private List<Path> watchedFiles() {
    List<Path> out = new ArrayList<>();
    for (String f : WATCHED_FILES) {
      Path p = home.root().resolve(f);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        out.add(p);
      }
    }
    for (String d : WATCHED_DIRS) {
      Path dir = home.root().resolve(d);
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        out.addAll(filesUnder(dir));
      }
    }
    return out;
  }

  private List<Path> filesUnder(Path dir) {
    List<Path> out = new ArrayList<>();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          Path p = file.toAbsolutePath().normalize();
          if (watched(p) && out.size() < MAX_WATCHED_FILES) {
            out.add(p);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Unreadable subtree: the sweep sees its files as unreadable and reports a change.
    }
    return out;
  }

  private void registerTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          register(d, true);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // The sweep still covers directories that could not be registered.
    }
  }

  private void register(Path dir, boolean alreadyChecked) throws IOException {
    if (watchServiceOrNull == null) {
      return;
    }
    Path d = dir.toAbsolutePath().normalize();
    if (keys.containsValue(d)) {
      return;
    }
    WatchKey k = d.register(watchServiceOrNull, StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
    keys.put(k, d);
  }

  private static String abbrev(String h) {
    return h == null ? "none" : h.length() > 12 ? h.substring(0, 12) : h;
  }
}
