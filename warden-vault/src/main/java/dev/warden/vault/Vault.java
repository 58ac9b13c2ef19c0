package dev.warden.vault;

import dev.warden.kernel.WardenSecurityException;
import dev.warden.vault.internal.AtomicFiles;
import dev.warden.vault.internal.SealedBox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The encrypted credential store.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Values are stored only inside {@value #SECRETS_FILE}, sealed with AES-256-GCM under the
 *       {@link VaultKey}; no value is ever written in clear (metadata is sealed too).
 *   <li>Every change is written atomically (temp file, fsync, rename, directory fsync) under an
 *       exclusive file lock, after re-reading the file, so the CLI and a running gateway can both
 *       change the vault without losing each other's updates.
 *   <li>A wrong key or a modified file is detected (GCM tag) and reported; the vault never returns
 *       data it could not authenticate.
 *   <li>Values are handed out only as {@link Secret}s, and only for an active credential toward a
 *       bound host ({@link #resolveForInjection}) or for the gateway's own use ({@link #activeSecret}).
 * </ul>
 *
 * <h2>Design notes</h2>
 * <p>Concurrency: all methods are synchronized on this instance; reads see changes made by other
 * processes within {@link #RELOAD_CHECK_INTERVAL_MILLIS}. Failure: an I/O or authentication failure
 * leaves the in-memory state unchanged and throws {@link WardenSecurityException}. Threats: a reader
 * of the state directory who lacks the key learns the file's size only; the key file itself is
 * refused if group or others can read it ({@link VaultKey#fromFile}).
 */
public final class Vault {
  /** The sealed store inside the vault directory. */
  public static final String SECRETS_FILE = "secrets.wdv";
  /** Default key file name inside the vault directory. */
  public static final String KEY_FILE = "vault.key";
  /** Placeholders that sandboxes and the model see instead of values. */
  public static final String PLACEHOLDER_PREFIX = "wdn-cred:";
  /** Matches a placeholder; group 1 is the secret name. */
  public static final Pattern PLACEHOLDER_PATTERN = Pattern.compile("wdn-cred:([A-Za-z0-9][A-Za-z0-9_.-]{0,63})");
  /** Upper bound on the number of secrets in one vault. */
  public static final int MAX_SECRETS = 1024;
  /** Upper bound on the sealed file's size read back from disk. */
  public static final int MAX_VAULT_FILE_BYTES = 64 * 1024 * 1024;
  /** How long reads trust the in-memory copy before checking the file for outside changes. */
  public static final long RELOAD_CHECK_INTERVAL_MILLIS = 1_000;
  /** "Last used" is persisted at most this often per secret, to keep fsyncs off the request path. */
  public static final Duration LAST_USED_PERSIST_INTERVAL = Duration.ofMinutes(1);

  private record Entry(SecretMetadata meta, Secret value) {}

  private final Path dir;
  private final Path file;
  private final Path lockFile;
  private final VaultKey key;
  private final InstantSource clock;
  private TreeMap<String, Entry> entries = new TreeMap<>();
  private volatile Redactor redactor = Redactor.NONE;
  private @Nullable FileTime loadedModified;
  private long lastReloadCheckMillis;

  private Vault(Path dir, VaultKey key, InstantSource clock) {
    this.dir = dir;
    this.file = dir.resolve(SECRETS_FILE);
    this.lockFile = dir.resolve(".lock");
    this.key = key;
    this.clock = clock;
  }

  /** Opens (creating if needed, mode 0700) the vault in {@code dir}. */
  public static Vault open(Path dir, VaultKey key) throws WardenSecurityException {
    return open(dir, key, InstantSource.system());
  }

  public static Vault open(Path dir, VaultKey key, InstantSource clock) throws WardenSecurityException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(clock, "clock");
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new WardenSecurityException("cannot create vault directory " + dir + ": " + e.getMessage()
          + "; check that WARDEN_HOME is writable by the Warden user", e);
    }
    Vault v = new Vault(dir, key, clock);
    synchronized (v) {
      v.load();
    }
    return v;
  }

  /**
   * Opens {@code WARDEN_HOME/vault/} with the key from {@value VaultKey#ENV_VAR} in
   * {@code environment}, or else from {@code WARDEN_HOME/vault/vault.key} (created on first use).
   */
  public static Vault openInHome(Path wardenHome, Map<String, String> environment) throws WardenSecurityException {
    Path dir = wardenHome.resolve("vault");
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new WardenSecurityException("cannot create vault directory " + dir + ": " + e.getMessage(), e);
    }
    return open(dir, VaultKey.resolve(dir.resolve(KEY_FILE), environment));
  }

  /** The placeholder that stands for secret {@code name}: {@code wdn-cred:NAME}. */
  public static String placeholder(String name) {
    return PLACEHOLDER_PREFIX + SecretMetadata.requireValidName(name);
  }

  public Path directory() {
    return dir;
  }

  // ------------------------------------------------------------------------------------------ reads

  /** Metadata of every secret, sorted by name. Never values. */
  public synchronized List<SecretMetadata> list() throws WardenSecurityException {
    refreshIfStale();
    List<SecretMetadata> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      out.add(e.meta);
    }
    return out;
  }

  public synchronized Optional<SecretMetadata> metadata(String name) throws WardenSecurityException {
    refreshIfStale();
    Entry e = entries.get(name);
    return e == null ? Optional.empty() : Optional.of(e.meta);
  }

  /**
   * The injection lookup of the egress proxy: the value of {@code name} if it is active and bound to
   * {@code host}; otherwise why not. A grant updates "last used".
   */
  public synchronized Injection resolveForInjection(String name, String host) throws WardenSecurityException {
    refreshIfStale();
    Entry e = entries.get(name);
    if (e == null) {
      return new Injection.Refused(name, Injection.Why.UNKNOWN,
          "no secret named '" + name + "' in the vault; add it with `warden secrets add " + name + " --host HOST`");
    }
    if (e.meta.suspended()) {
      return new Injection.Refused(name, Injection.Why.SUSPENDED,
          "secret '" + name + "' is suspended; `warden secrets resume " + name + "` re-enables it");
    }
    if (!e.meta.boundTo(host)) {
      return new Injection.Refused(name, Injection.Why.HOST_NOT_BOUND,
          "secret '" + name + "' is bound to " + e.meta.hosts() + ", not to " + host);
    }
    markUsed(e);
    return new Injection.Granted(name, e.value);
  }

  /**
   * The value of an active secret for the gateway's own use (a model provider's API key), or empty
   * if unknown or suspended. Updates "last used".
   */
  public synchronized Optional<Secret> activeSecret(String name) throws WardenSecurityException {
    refreshIfStale();
    Entry e = entries.get(name);
    if (e == null || e.meta.suspended()) {
      return Optional.empty();
    }
    markUsed(e);
    return Optional.of(e.value);
  }

  /** A redactor over every value currently in the vault (suspended ones included). */
  public Redactor redactor() {
    synchronized (this) {
      try {
        refreshIfStale();
      } catch (WardenSecurityException e) {
        // Keep redacting with what we have; the failure surfaces on the next read or write.
      }
    }
    return redactor;
  }

  // ---------------------------------------------------------------------------------------- changes

  /** Adds a secret. Fails if the name exists (use {@link #rotate}). */
  public SecretMetadata add(String name, Secret value, List<HostPattern> hosts, List<String> scopes)
      throws WardenSecurityException {
    SecretMetadata meta = new SecretMetadata(name, hosts, scopes, clock.instant(), null, null, false);
    Objects.requireNonNull(value, "value");
    return mutate(m -> {
      if (m.containsKey(name)) {
        throw new IllegalArgumentException(
            "secret '" + name + "' already exists; use `warden secrets rotate " + name + "` to change its value");
      }
      if (m.size() >= MAX_SECRETS) {
        throw new IllegalArgumentException("the vault already holds " + MAX_SECRETS + " secrets, the maximum");
      }
      m.put(name, new Entry(meta, value));
      return meta;
    });
  }

  /** Replaces the value of {@code name}; bindings and suspension are kept. */
  public SecretMetadata rotate(String name, Secret newValue) throws WardenSecurityException {
    Objects.requireNonNull(newValue, "newValue");
    Instant now = clock.instant();
    return mutate(m -> {
      Entry e = require(m, name);
      SecretMetadata meta = e.meta.withRotated(now);
      m.put(name, new Entry(meta, newValue));
      return meta;
    });
  }

  public SecretMetadata suspend(String name) throws WardenSecurityException {
    return setSuspended(name, true);
  }

  public SecretMetadata resume(String name) throws WardenSecurityException {
    return setSuspended(name, false);
  }

  /** Removes {@code name}; returns whether it existed. */
  public boolean remove(String name) throws WardenSecurityException {
    return mutate(m -> m.remove(name) != null);
  }

  /** Suspends every secret (quarantine). Returns how many changed state. */
  public int suspendAll() throws WardenSecurityException {
    return setAllSuspended(true);
  }

  /** Resumes every secret (release from quarantine). Returns how many changed state. */
  public int resumeAll() throws WardenSecurityException {
    return setAllSuspended(false);
  }

  /** Re-reads the file now (normally done automatically within {@link #RELOAD_CHECK_INTERVAL_MILLIS}). */
  public synchronized void reload() throws WardenSecurityException {
    load();
  }

  private SecretMetadata setSuspended(String name, boolean s) throws WardenSecurityException {
    return mutate(m -> {
      Entry e = require(m, name);
      SecretMetadata meta = e.meta.withSuspended(s);
      m.put(name, new Entry(meta, e.value));
      return meta;
    });
  }

  private int setAllSuspended(boolean s) throws WardenSecurityException {
    return mutate(m -> {
      int n = 0;
      for (Map.Entry<String, Entry> x : m.entrySet()) {
        if (x.getValue().meta.suspended() != s) {
          x.setValue(new Entry(x.getValue().meta.withSuspended(s), x.getValue().value));
          n++;
        }
      }
      return n;
    });
  }

  private static Entry require(Map<String, Entry> m, String name) {
    Entry e = m.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "no secret named '" + name + "' in the vault; `warden secrets list` shows the names");
    }
    return e;
  }

  private interface Change<T> {
    T apply(TreeMap<String, Entry> entries);
  }

  /**
   * File locks are held per JVM, not per thread or instance (a second lock attempt in the same JVM
   * throws instead of waiting), so writers in this JVM first queue on one monitor per vault file.
   */
  private static final ConcurrentHashMap<Path, Object> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

  private synchronized <T> T mutate(Change<T> change) throws WardenSecurityException {
    Object inProcess = IN_PROCESS_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new Object());
    synchronized (inProcess) {
      try (FileChannel lc = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lc.lock()) {
        load();
        TreeMap<String, Entry> copy = new TreeMap<>(entries);
        T result = change.apply(copy);
        write(copy);
        entries = copy;
        rebuildRedactor();
        return result;
      } catch (IOException e) {
        throw new WardenSecurityException("cannot update the vault in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  private void markUsed(Entry e) throws WardenSecurityException {
    Instant now = clock.instant();
    Instant last = e.meta.lastUsedOrNull();
    boolean persist = last == null || Duration.between(last, now).compareTo(LAST_USED_PERSIST_INTERVAL) >= 0;
    if (persist) {
      mutate(m -> {
        Entry cur = m.get(e.meta.name());
        if (cur != null) {
          m.put(cur.meta.name(), new Entry(cur.meta.withLastUsed(now), cur.value));
        }
        return null;
      });
    }
  }

  // ------------------------------------------------------------------------------------ persistence

  private void refreshIfStale() throws WardenSecurityException {
    long nowMillis = System.currentTimeMillis();
    if (nowMillis - lastReloadCheckMillis < RELOAD_CHECK_INTERVAL_MILLIS) {
      return;
    }
    lastReloadCheckMillis = nowMillis;
    FileTime current = modifiedOrNull();
    if (!Objects.equals(current, loadedModified)) {
      load();
    }
  }

  private @Nullable FileTime modifiedOrNull() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  private void load() throws WardenSecurityException {
    byte[] sealed;
    FileTime modified = modifiedOrNull();
    try {
      if (Files.size(file) > MAX_VAULT_FILE_BYTES) {
        throw new WardenSecurityException("vault file " + file + " is larger than " + MAX_VAULT_FILE_BYTES
            + " bytes; it is not a Warden vault or it is damaged");
      }
      sealed = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      entries = new TreeMap<>();
      loadedModified = null;
      rebuildRedactor();
      return;
    } catch (IOException e) {
      throw new WardenSecurityException("cannot read vault file " + file + ": " + e.getMessage(), e);
    }
    byte[] plain;
    byte[] k = key.secret().bytes(SecretAccess.INSTANCE);
    try {
      plain = SealedBox.open(k, sealed);
    } catch (GeneralSecurityException e) {
      throw new WardenSecurityException(
          "cannot decrypt vault file " + file + " with the key from " + key.source()
              + ": the key is wrong or the file was modified (" + e.getMessage() + "). Use the key the vault"
              + " was created with (key file or " + VaultKey.ENV_VAR + "), or restore the file from a snapshot",
          e);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
    try {
      entries = decode(plain);
    } catch (IOException | IllegalArgumentException e) {
      throw new WardenSecurityException("vault file " + file + " decrypted but its content is malformed: "
          + e.getMessage() + "; restore it from a snapshot", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    loadedModified = modified;
    lastReloadCheckMillis = System.currentTimeMillis();
    rebuildRedactor();
  }

  private void write(TreeMap<String, Entry> m) throws IOException {
    byte[] plain = encode(m);
    byte[] k = key.secret().bytes(SecretAccess.INSTANCE);
    try {
      AtomicFiles.writeOwnerOnly(file, SealedBox.seal(k, plain));
    } finally {
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(k, (byte) 0);
    }
    loadedModified = modifiedOrNull();
  }

  private void rebuildRedactor() {
    Map<String, Secret> values = new LinkedHashMap<>();
    for (Entry e : entries.values()) {
      values.put(e.meta.name(), e.value);
    }
    redactor = Redactor.of(values, SecretAccess.INSTANCE);
  }

  /** A byte buffer whose backing array can be wiped. */
  private static final class WipeableBuffer extends ByteArrayOutputStream {
    void wipe() {
      Arrays.fill(buf, (byte) 0);
    }
  }

  private static final int FORMAT_VERSION = 1;

  private static byte[] encode(TreeMap<String, Entry> m) throws IOException {
    WipeableBuffer buf = new WipeableBuffer();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.writeInt(FORMAT_VERSION);
      out.writeInt(m.size());
      for (Entry e : m.values()) {
        SecretMetadata md = e.meta;
        out.writeUTF(md.name());
        out.writeInt(md.hosts().size());
        for (HostPattern h : md.hosts()) {
          out.writeUTF(h.pattern());
        }
        out.writeInt(md.scopes().size());
        for (String s : md.scopes()) {
          out.writeUTF(s);
        }
        out.writeLong(md.created().toEpochMilli());
        out.writeLong(md.rotatedOrNull() == null ? Long.MIN_VALUE : md.rotatedOrNull().toEpochMilli());
        out.writeLong(md.lastUsedOrNull() == null ? Long.MIN_VALUE : md.lastUsedOrNull().toEpochMilli());
        out.writeBoolean(md.suspended());
        byte[] v = e.value.bytes(SecretAccess.INSTANCE);
        out.writeInt(v.length);
        out.write(v);
        Arrays.fill(v, (byte) 0);
      }
    }
    byte[] result = buf.toByteArray();
    buf.wipe();
    return result;
  }

  private static TreeMap<String, Entry> decode(byte[] plain) throws IOException {
    TreeMap<String, Entry> m = new TreeMap<>();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
    int version = in.readInt();
    if (version != FORMAT_VERSION) {
      throw new IOException("unsupported vault format version " + version + " (this Warden reads " + FORMAT_VERSION + ")");
    }
    int n = in.readInt();
    if (n < 0 || n > MAX_SECRETS) {
      throw new IOException("secret count " + n + " out of range");
    }
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      List<HostPattern> hosts = new ArrayList<>();
      int hn = boundedCount(in.readInt());
      for (int j = 0; j < hn; j++) {
        hosts.add(new HostPattern(in.readUTF()));
      }
      List<String> scopes = new ArrayList<>();
      int sn = boundedCount(in.readInt());
      for (int j = 0; j < sn; j++) {
        scopes.add(in.readUTF());
      }
      Instant created = Instant.ofEpochMilli(in.readLong());
      long rotated = in.readLong();
      long lastUsed = in.readLong();
      boolean suspended = in.readBoolean();
      int len = in.readInt();
      if (len <= 0 || len > Secret.MAX_SECRET_BYTES) {
        throw new IOException("secret '" + name + "' has an invalid length " + len);
      }
      byte[] v = new byte[len];
      in.readFully(v);
      SecretMetadata md = new SecretMetadata(name, hosts, scopes, created,
          rotated == Long.MIN_VALUE ? null : Instant.ofEpochMilli(rotated),
          lastUsed == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastUsed), suspended);
      m.put(name, new Entry(md, Secret.copyOf(v)));
      Arrays.fill(v, (byte) 0);
    }
    return m;
  }

  private static int boundedCount(int n) throws IOException {
    if (n < 0 || n > 1024) {
      throw new IOException("list length " + n + " out of range");
    }
    return n;
  }

  @Override
  public String toString() {
    return "Vault[" + dir + "]";
  }
}
