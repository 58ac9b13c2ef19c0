package dev.warden.monitor.export;

import dev.warden.monitor.events.OcsfEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OCSF events as JSON Lines: one event per line in {@code <dir>/events.jsonl}, rotated to
 * {@code events-<UTC time>.jsonl} when the file would exceed {@link Config#maxBytes} or is older than
 * {@link Config#maxAge}; only the newest {@link Config#keepFiles} rotated files are kept.
 *
 * <p>Writes happen on the ingestion thread (a local append is fast); each batch is flushed to the
 * OS before returning. Failure: an I/O error drops that batch (counted) and the next batch tries
 * again with a fresh file handle.
 */
public final class JsonlExporter implements EventExporter {

  public static final String CURRENT_FILE = "events.jsonl";
  static final DateTimeFormatter ROTATED_NAME =
      DateTimeFormatter.ofPattern("'events-'yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * @param maxBytes rotate before the current file grows past this
   * @param maxAge rotate when the current file was started longer ago than this
   * @param keepFiles rotated files kept (oldest deleted first); the current file is not counted
   */
  public record Config(Path dir, long maxBytes, Duration maxAge, int keepFiles) {
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);
    public static final int DEFAULT_KEEP_FILES = 30;

    public Config {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxBytes < 1024) {
        throw new IllegalArgumentException("jsonl max_bytes must be at least 1024, got " + maxBytes);
      }
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("jsonl max_age must be positive, got " + maxAge);
      }
      if (keepFiles < 1) {
        throw new IllegalArgumentException("jsonl keep_files must be at least 1, got " + keepFiles);
      }
    }
  }

  private final Config config;
  private final InstantSource clock;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private OutputStream out;
  private long size;
  private Instant started;

  public JsonlExporter(Config config, InstantSource clock) throws IOException {
    this.config = config;
    this.clock = clock;
    Files.createDirectories(config.dir());
  }

  @Override
  public String name() {
    return "jsonl";
  }

  public Path current() {
    return config.dir().resolve(CURRENT_FILE);
  }

  @Override
  public synchronized void export(List<OcsfEvent> events) {
    try {
      for (OcsfEvent e : events) {
        byte[] line = (e.json() + "\n").getBytes(StandardCharsets.UTF_8);
        ensureOpen(line.length);
        out.write(line);
        size += line.length;
        written.incrementAndGet();
      }
      if (out != null) {
        out.flush();
      }
    } catch (IOException ex) {
      dropped.addAndGet(events.size());
      closeQuietly();
    }
  }

  private void ensureOpen(int nextLineBytes) throws IOException {
    Instant now = clock.instant();
    Path cur = current();
    if (out == null) {
      size = Files.exists(cur) ? Files.size(cur) : 0;
      started = size == 0 ? now : firstWriteTime(cur, now);
      out = Files.newOutputStream(cur, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    boolean tooBig = size > 0 && size + nextLineBytes > config.maxBytes();
    boolean tooOld = size > 0 && !now.isBefore(started.plus(config.maxAge()));
    if (tooBig || tooOld) {
      rotate(now);
    }
  }

  /** When an existing current file was started: its creation time where the file system keeps one. */
  private static Instant firstWriteTime(Path cur, Instant fallback) {
    try {
      Instant created = Files.readAttributes(cur, java.nio.file.attribute.BasicFileAttributes.class).creationTime().toInstant();
      return created.isAfter(fallback) ? fallback : created;
    } catch (IOException e) {
      return fallback;
    }
  }

  private void rotate(Instant now) throws IOException {
    out.close();
    Path target = config.dir().resolve(ROTATED_NAME.format(now) + ".jsonl");
    int n = 1;
    while (Files.exists(target)) {
      target = config.dir().resolve(ROTATED_NAME.format(now) + "-" + n++ + ".jsonl");
    }
    Files.move(current(), target);
    out = Files.newOutputStream(current(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = 0;
    started = now;
    List<Path> rotated = rotatedFiles(config.dir());
    for (int i = 0; i < rotated.size() - config.keepFiles(); i++) {
      Files.deleteIfExists(rotated.get(i));
    }
  }

  /** Rotated files in {@code dir}, oldest first (their names sort by time). */
  public static List<Path> rotatedFiles(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "events-*.jsonl")) {
      ds.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  public long written() {
    return written.get();
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  private void closeQuietly() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException ignored) {
      // reopened on the next batch
    }
    out = null;
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
