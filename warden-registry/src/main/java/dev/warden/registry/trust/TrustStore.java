package dev.warden.registry.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PackageException.Reason;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.PublisherTrust;
import dev.warden.registry.pkg.TrustStatus;
import dev.warden.registry.pkg.internal.AtomicFiles;
import dev.warden.registry.pkg.internal.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The owner's publisher keys: which keys may vouch for skill packages.
 *
 * <p>Rules, in the order {@link #admit} applies them: a revoked key is refused; a key the store
 * holds for the same publisher is admitted; a new key for a publisher the store already holds any
 * key for is refused as a key change, loudly, showing the old and new fingerprints, until the owner
 * trusts it explicitly ({@link #trust}); a key for a publisher the store has never seen is pinned
 * on first use (with a warning event) when the mode allows, and refused otherwise.
 *
 * <p>Persistence: one JSON file, rewritten atomically (temp, fsync, rename) on every change, and
 * read strictly: a corrupt file is an error, never an empty store.
 *
 * <p>Concurrency: methods are synchronized; one process owns the file.
 */
public final class TrustStore implements PublisherTrust {
  /** Whether an unknown publisher's first key is pinned or refused. */
  public enum Mode {
    /** Only keys the owner trusted explicitly are admitted. */
    EXPLICIT_ONLY,
    /** A publisher's first key is pinned and the owner warned. */
    TRUST_ON_FIRST_USE
  }

  /** Largest trust store file read, in bytes. */
  public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private static final int FILE_VERSION = 1;

  private final Path file;
  private final Mode mode;
  private final InstantSource clock;
  private final TrustEventListener listener;
  private final Map<String, TrustedKey> byKeyId = new TreeMap<>();

  private TrustStore(Path file, Mode mode, InstantSource clock, TrustEventListener listener) {
    this.file = file;
    this.mode = mode;
    this.clock = clock;
    this.listener = listener;
  }

  /** Opens (or starts empty when the file does not exist yet) the store at {@code file}. */
  public static TrustStore open(Path file, Mode mode, InstantSource clock, TrustEventListener listener) throws IOException {
    TrustStore s = new TrustStore(Objects.requireNonNull(file), Objects.requireNonNull(mode),
        Objects.requireNonNull(clock), Objects.requireNonNull(listener));
    if (Files.exists(file)) {
      s.load();
    }
    return s;
  }

  public Mode mode() {
    return mode;
  }

  public Path file() {
    return file;
  }

  public synchronized List<TrustedKey> keys() {
    return List.copyOf(byKeyId.values());
  }

  public synchronized Optional<TrustedKey> find(String keyId) {
    return Optional.ofNullable(byKeyId.get(keyId));
  }

  /** Keys held for a publisher, in any state. */
  public synchronized List<TrustedKey> keysOf(String publisher) {
    return byKeyId.values().stream().filter(k -> k.key().publisher().equals(publisher)).toList();
  }

  /**
   * Trusts a key explicitly: how the owner accepts a new publisher, or a changed key after checking
   * with the publisher. Refused for a revoked key (revocation is final for a key id).
   */
  public synchronized void trust(PublisherKey key) throws IOException {
    TrustedKey existing = byKeyId.get(key.keyId());
    if (existing != null && existing.state() == TrustedKey.State.REVOKED) {
      throw new IOException("key " + key.fingerprint() + " of " + existing.key().publisher()
          + " was revoked; a revoked key cannot be trusted again, ask the publisher for a new key");
    }
    if (existing != null && !existing.key().publisher().equals(key.publisher())) {
      throw new IOException("key " + key.fingerprint() + " is already held for publisher '" + existing.key().publisher()
          + "'; one key belongs to one publisher name, remove it first to move it");
    }
    Instant now = clock.instant();
    byKeyId.put(key.keyId(), new TrustedKey(key, TrustedKey.State.TRUSTED, now, null, null));
    save();
    emit(TrustEvent.Kind.TRUSTED, key.publisher(), key.keyId(), List.of(),
        "trusted " + key.publisher() + " key " + key.fingerprint());
  }

  /** Revokes a key: packages signed with it fail verification from now on. */
  public synchronized void revoke(String keyId, String reason) throws IOException {
    TrustedKey existing = byKeyId.get(keyId);
    if (existing == null) {
      throw new IOException("no key SHA256:" + keyId + " in the trust store " + file + "; import it first to revoke it, or check the id");
    }
    Objects.requireNonNull(reason, "reason");
    byKeyId.put(keyId, new TrustedKey(existing.key(), TrustedKey.State.REVOKED, existing.since(), clock.instant(), reason));
    save();
    emit(TrustEvent.Kind.REVOKED, existing.key().publisher(), keyId, List.of(),
        "revoked " + existing.key().publisher() + " key SHA256:" + keyId + ": " + reason);
  }

  /** Records a key as revoked even if it was never held, so that it can never be pinned. */
  public synchronized void revoke(PublisherKey key, String reason) throws IOException {
    if (!byKeyId.containsKey(key.keyId())) {
      byKeyId.put(key.keyId(), new TrustedKey(key, TrustedKey.State.TRUSTED, clock.instant(), null, null));
    }
    revoke(key.keyId(), reason);
  }

  /** Forgets a key entirely (its publisher becomes unknown again if it was the only one). */
  public synchronized boolean remove(String keyId) throws IOException {
    TrustedKey removed = byKeyId.remove(keyId);
    if (removed == null) {
      return false;
    }
    save();
    emit(TrustEvent.Kind.REMOVED, removed.key().publisher(), keyId, List.of(), "removed " + removed.key().publisher() + " key SHA256:" + keyId);
    return true;
  }

  @Override
  public synchronized TrustStatus admit(PublisherKey key) throws PackageException {
    TrustedKey known = byKeyId.get(key.keyId());
    if (known != null) {
      if (known.state() == TrustedKey.State.REVOKED) {
        String msg = "key " + key.fingerprint() + " of publisher '" + known.key().publisher() + "' was revoked at "
            + known.revokedAtOrNull() + " (" + known.revocationReasonOrNull() + "); packages signed with it are refused."
            + " If the publisher has a new key, check it with them and trust it with `warden trust add <key file>`.";
        emit(TrustEvent.Kind.REVOKED_KEY_REFUSED, key.publisher(), key.keyId(), List.of(), msg);
        throw new PackageException(Reason.REVOKED_KEY, msg);
      }
      if (!known.key().publisher().equals(key.publisher())) {
        String msg = "key " + key.fingerprint() + " is held for publisher '" + known.key().publisher()
            + "' but the package names publisher '" + key.publisher() + "'; refusing a key that changes publisher name";
        emit(TrustEvent.Kind.KEY_CHANGE_REFUSED, key.publisher(), key.keyId(), List.of(), msg);
        throw new PackageException(Reason.KEY_CHANGED, msg);
      }
      return known.state() == TrustedKey.State.TRUSTED ? TrustStatus.TRUSTED : TrustStatus.PINNED;
    }
    List<TrustedKey> previous = keysOf(key.publisher());
    if (!previous.isEmpty()) {
      StringBuilder msg = new StringBuilder();
      msg.append("PUBLISHER KEY CHANGED for '").append(key.publisher()).append("': refusing the package.\n");
      for (TrustedKey p : previous) {
        msg.append("  known key:     ").append(p.key().fingerprint()).append(" (")
            .append(p.state().name().toLowerCase(java.util.Locale.ROOT)).append(" since ").append(p.since()).append(")\n");
      }
      msg.append("  presented key: ").append(key.fingerprint()).append('\n');
      msg.append("This is either a key rotation or someone else publishing under this name. Confirm the new"
          + " fingerprint with the publisher out of band, then run `warden trust add <key file>`.");
      emit(TrustEvent.Kind.KEY_CHANGE_REFUSED, key.publisher(), key.keyId(),
          previous.stream().map(p -> p.key().keyId()).toList(), msg.toString());
      throw new PackageException(Reason.KEY_CHANGED, msg.toString());
    }
    if (mode == Mode.EXPLICIT_ONLY) {
      String msg = "publisher '" + key.publisher() + "' (key " + key.fingerprint() + ") is not in the trust store "
          + file + " and trust-on-first-use is off; check the fingerprint with the publisher and run `warden trust add <key file>`";
      emit(TrustEvent.Kind.UNKNOWN_PUBLISHER_REFUSED, key.publisher(), key.keyId(), List.of(), msg);
      throw new PackageException(Reason.UNKNOWN_PUBLISHER, msg);
    }
    byKeyId.put(key.keyId(), new TrustedKey(key, TrustedKey.State.PINNED, clock.instant(), null, null));
    try {
      save();
    } catch (IOException e) {
      byKeyId.remove(key.keyId());
      throw new PackageException(Reason.MALFORMED, "cannot record the first-use pin of " + key.publisher()
          + " in " + file + ": " + e.getMessage(), e);
    }
    emit(TrustEvent.Kind.PINNED_ON_FIRST_USE, key.publisher(), key.keyId(), List.of(),
        "WARNING: first package from publisher '" + key.publisher() + "'; pinned its key " + key.fingerprint()
            + " on first use. Any other key for this publisher will be refused. Check the fingerprint with the publisher.");
    return TrustStatus.PINNED_ON_FIRST_USE;
  }

  private void emit(TrustEvent.Kind kind, String publisher, String keyId, List<String> previous, String message) {
    try {
      listener.onEvent(new TrustEvent(kind, clock.instant(), publisher, keyId, previous, message));
    } catch (RuntimeException ignored) {
      // listeners must not throw; a broken listener must not change a trust decision
    }
  }

  private void save() throws IOException {
    List<Object> keys = new ArrayList<>();
    for (TrustedKey k : byKeyId.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("keyId", k.key().keyId());
      m.put("publisher", k.key().publisher());
      m.put("publicKey", k.key().publicKeyPem());
      m.put("state", k.state().name().toLowerCase(java.util.Locale.ROOT));
      m.put("since", k.since().toString());
      if (k.revokedAtOrNull() != null) {
        m.put("revokedAt", k.revokedAtOrNull().toString());
        m.put("revocationReason", k.revocationReasonOrNull());
      }
      keys.add(m);
    }
    AtomicFiles.write(file, CanonicalJson.write(Map.of("version", FILE_VERSION, "keys", keys)));
  }

  private void load() throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException("trust store " + file + " is larger than " + MAX_FILE_BYTES + " bytes; it is not a trust store");
    }
    try {
      JsonNode root = CanonicalJson.read(Files.readAllBytes(file));
      if (root.path("version").asInt() != FILE_VERSION) {
        throw new IOException("unsupported version " + root.path("version"));
      }
      for (JsonNode k : root.path("keys")) {
        PublisherKey key = PublisherKey.of(k.path("publisher").asText(), PublisherKey.parsePublicKeyPem(k.path("publicKey").asText()));
        if (!key.keyId().equals(k.path("keyId").asText())) {
          throw new IOException("entry " + k.path("keyId").asText() + " does not match its key's fingerprint " + key.keyId());
        }
        TrustedKey.State state = TrustedKey.State.valueOf(k.path("state").asText().toUpperCase(java.util.Locale.ROOT));
        Instant revokedAt = k.hasNonNull("revokedAt") ? Instant.parse(k.get("revokedAt").asText()) : null;
        String reason = k.hasNonNull("revocationReason") ? k.get("revocationReason").asText() : null;
        byKeyId.put(key.keyId(), new TrustedKey(key, state, Instant.parse(k.path("since").asText()), revokedAt, reason));
      }
    } catch (IOException | PackageException | RuntimeException e) {
      throw new IOException("trust store " + file + " is corrupt (" + e.getMessage() + "); restore it from a backup rather than deleting it", e);
    }
  }
}
