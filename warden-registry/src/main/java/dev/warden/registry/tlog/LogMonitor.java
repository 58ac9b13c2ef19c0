package dev.warden.registry.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.internal.AtomicFiles;
import dev.warden.registry.pkg.internal.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The client's memory of one registry's log: the log key (pinned on first contact unless
 * configured) and the last tree head it verified. Every new head must be signed by that key and be
 * consistent with the remembered one (a verified consistency proof), so a registry that removes or
 * rewrites entries, or shows this client a different history than before, is refused.
 *
 * <p>Limits of what one client sees: a registry that forks its log for this client from the very
 * first contact, and keeps the fork up, is only caught by comparing heads with other clients
 * (gossip) or an auditor; {@link #lastHead()} is what to compare.
 *
 * <p>Persistence: one JSON file rewritten atomically after each verified advance; a refused head
 * never replaces the remembered one.
 */
public final class LogMonitor {
  /** Fetches a consistency proof from the registry. */
  @FunctionalInterface
  public interface ConsistencySource {
    List<byte[]> consistencyProof(long from, long to) throws LogException, IOException;
  }

  /** Largest state file read, in bytes. */
  public static final long MAX_STATE_BYTES = 64 * 1024;

  private final Path stateFile;
  private final String registryName;
  private PublisherKey logKeyOrNull;
  private SignedTreeHead lastHeadOrNull;

  private LogMonitor(Path stateFile, String registryName) {
    this.stateFile = stateFile;
    this.registryName = registryName;
  }

  /**
   * Opens the state at {@code stateFile}. {@code configuredLogKeyOrNull}: the registry's log key
   * as configured by the owner; when null, the first key seen is pinned.
   */
  public static LogMonitor open(Path stateFile, String registryName, PublicKey configuredLogKeyOrNull) throws IOException {
    LogMonitor m = new LogMonitor(Objects.requireNonNull(stateFile), Objects.requireNonNull(registryName));
    if (Files.exists(stateFile)) {
      m.load();
    }
    if (configuredLogKeyOrNull != null) {
      PublisherKey configured = PublisherKey.of("registry-log", configuredLogKeyOrNull);
      if (m.logKeyOrNull != null && !m.logKeyOrNull.keyId().equals(configured.keyId())) {
        throw new IOException("the configured log key " + configured.fingerprint() + " for " + registryName
            + " differs from the one pinned in " + stateFile + " (" + m.logKeyOrNull.fingerprint() + ")");
      }
      m.logKeyOrNull = configured;
    }
    return m;
  }

  /**
   * A state file name for one registry under {@code dir}: {@code <host>-<port>-<hash>.log-state.json},
   * the hash over the normalised URL so that two registries never share a state file.
   */
  public static Path stateFileFor(Path dir, java.net.URI registry) {
    String normalized = dev.warden.registry.pkg.InstallPolicy.normalize(registry);
    String host = Objects.requireNonNullElse(registry.getHost(), "registry").replaceAll("[^A-Za-z0-9.-]", "_");
    return dir.resolve(host + "-" + registry.getPort() + "-" + dev.warden.kernel.Hashing.sha256Hex(normalized).substring(0, 16) + ".log-state.json");
  }

  public synchronized Optional<SignedTreeHead> lastHead() {
    return Optional.ofNullable(lastHeadOrNull);
  }

  public synchronized Optional<PublisherKey> logKey() {
    return Optional.ofNullable(logKeyOrNull);
  }

  /**
   * Verifies {@code head} (signature by the pinned key, consistency with the last head) and
   * remembers it. {@code presentedKey} is the key the registry says it signs with; it is only used
   * when nothing is pinned yet.
   */
  public synchronized SignedTreeHead advance(SignedTreeHead head, PublicKey presentedKey, ConsistencySource source)
      throws LogException, IOException {
    PublisherKey key = logKeyOrNull;
    boolean pinning = false;
    if (key == null) {
      key = PublisherKey.of("registry-log", presentedKey);
      pinning = true;
    }
    if (!key.keyId().equals(head.logKeyId())) {
      throw new LogException(LogException.Reason.LOG_KEY_CHANGED, "registry " + registryName + " signed its log head with key SHA256:"
          + head.logKeyId() + " but this client pinned " + key.fingerprint() + " in " + stateFile
          + "; the registry's log key changed or someone else is answering. Do not install from it until the operator explains.");
    }
    if (!head.verifies(key.publicKey())) {
      throw new LogException(LogException.Reason.BAD_HEAD_SIGNATURE, "registry " + registryName + " served a tree head whose signature does not verify with "
          + key.fingerprint() + "; refusing it");
    }
    SignedTreeHead last = lastHeadOrNull;
    if (last != null) {
      if (head.treeSize() < last.treeSize()) {
        throw new LogException(LogException.Reason.ROLLBACK, "registry " + registryName + " log went BACKWARDS: this client saw "
            + describe(last) + " and now gets " + describe(head) + ". Entries were removed from an append-only log; the registry is"
            + " misbehaving or compromised. Do not install from it; report it.");
      }
      List<byte[]> proof = head.treeSize() == last.treeSize() || last.treeSize() == 0 ? List.of()
          : source.consistencyProof(last.treeSize(), head.treeSize());
      if (!MerkleTree.verifyConsistency(last.treeSize(), head.treeSize(), last.rootHash(), head.rootHash(), proof)) {
        throw new LogException(LogException.Reason.FORK, "registry " + registryName + " log is INCONSISTENT with what this client saw before:\n"
            + "  remembered: " + describe(last) + "\n  now:        " + describe(head) + "\n"
            + "The new tree does not extend the old one (consistency proof " + last.treeSize() + "→" + head.treeSize()
            + " does not verify): the registry rewrote its history or is showing this client a forked log."
            + " Do not install from it; keep " + stateFile + " as evidence and report it.");
      }
    }
    lastHeadOrNull = head;
    if (pinning) {
      logKeyOrNull = key;
    }
    save();
    return head;
  }

  /** Verifies that {@code entry} is leaf {@code index} of the tree {@code head} commits to. */
  public static void verifyInclusion(LogEntry entry, long index, SignedTreeHead head, List<byte[]> proof, String registryName)
      throws LogException {
    if (!MerkleTree.verifyInclusion(entry.leafHash(), index, head.treeSize(), proof, head.rootHash())) {
      throw new LogException(LogException.Reason.NOT_INCLUDED, "registry " + registryName + " served " + entry.skill() + "@" + entry.version()
          + " with an inclusion proof for leaf " + index + " that does not verify against its signed " + describe(head)
          + "; the package is not (or not as served) in the transparency log");
    }
  }

  private static String describe(SignedTreeHead h) {
    return "tree size " + h.treeSize() + ", root " + h.rootHashHex() + " (signed " + h.timestamp() + ")";
  }

  private void save() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("registry", registryName);
    if (logKeyOrNull != null) {
      m.put("logKeyId", logKeyOrNull.keyId());
      m.put("logPublicKey", logKeyOrNull.publicKeyPem());
    }
    if (lastHeadOrNull != null) {
      m.put("lastHead", lastHeadOrNull.toMap());
    }
    AtomicFiles.write(stateFile, CanonicalJson.write(m));
  }

  private void load() throws IOException {
    if (Files.size(stateFile) > MAX_STATE_BYTES) {
      throw new IOException("log state " + stateFile + " is over " + MAX_STATE_BYTES + " bytes; not a log state file");
    }
    try {
      JsonNode n = CanonicalJson.read(Files.readAllBytes(stateFile));
      if (n.hasNonNull("logPublicKey")) {
        logKeyOrNull = PublisherKey.of("registry-log", PublisherKey.parsePublicKeyPem(n.get("logPublicKey").asText()));
        if (!logKeyOrNull.keyId().equals(n.path("logKeyId").asText())) {
          throw new IOException("logKeyId does not match the stored key");
        }
      }
      if (n.hasNonNull("lastHead")) {
        lastHeadOrNull = SignedTreeHead.fromJson(n.get("lastHead"));
      }
    } catch (PackageException | LogException | RuntimeException e) {
      throw new IOException("log state " + stateFile + " is corrupt (" + e.getMessage() + "); it is evidence of what this client saw, restore it rather than deleting it", e);
    }
  }
}
