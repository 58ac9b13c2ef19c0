package dev.warden.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.kernel.Hashing;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PackageManifest;
import dev.warden.registry.pkg.PackageVerifier;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.PublisherTrust;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.pkg.VerifiedPackage;
import dev.warden.registry.pkg.internal.CanonicalJson;
import dev.warden.registry.tlog.LogEntry;
import dev.warden.registry.tlog.LogException;
import dev.warden.registry.tlog.LogMonitor;
import dev.warden.registry.tlog.MerkleTree;
import dev.warden.registry.tlog.SignedTreeHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Talks to one registry and trusts none of its answers without checking them.
 *
 * <p>{@link #download} verifies, in order: the package served is the one asked for; its log entry
 * names exactly this manifest, skill, version and key; the tree head is signed by the registry's
 * pinned log key and consistent with the last head this client saw ({@link LogMonitor}); the
 * entry's inclusion proof verifies against that head; and last the package itself (signature
 * against the trust store, every file against the manifest) — last, so that a first-use pin is only
 * made for a package that is in the log. Any failure throws and nothing is returned.
 *
 * <p>Bounds: every response is read up to {@link #MAX_RESPONSE_BYTES}; requests time out after the
 * configured duration.
 */
public final class RegistryClient {
  /** Largest response read, in bytes (a maximal package in base64 plus the rest). */
  public static final long MAX_RESPONSE_BYTES = 32L * 1024 * 1024;

  /** Default time allowed for one request. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final PublisherTrust trust;
  private final LogMonitor monitor;
  private final HttpClient http;
  private final Duration timeout;

  public RegistryClient(URI baseUri, PublisherTrust trust, LogMonitor monitor) {
    this(baseUri, trust, monitor, HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).build(), DEFAULT_TIMEOUT);
  }

  public RegistryClient(URI baseUri, PublisherTrust trust, LogMonitor monitor, HttpClient http, Duration timeout) {
    String s = Objects.requireNonNull(baseUri, "baseUri").toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme())) {
      throw new IllegalArgumentException("registry URL must be http(s), got " + baseUri);
    }
    this.trust = Objects.requireNonNull(trust);
    this.monitor = Objects.requireNonNull(monitor);
    this.http = Objects.requireNonNull(http);
    this.timeout = Objects.requireNonNull(timeout);
  }

  public URI baseUri() {
    return base;
  }

  /** Publishes a signed package with a bearer token. */
  public PublishResult publish(SkillPackage pkg, String token) throws WardenSecurityException, IOException {
    if (!pkg.signed()) {
      throw new RegistryException(0, "refusing to publish an unsigned package; sign it first");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("archive", Base64.getEncoder().encodeToString(pkg.archive()));
    body.put("manifest", Base64.getEncoder().encodeToString(pkg.manifest()));
    body.put("signature", Base64.getEncoder().encodeToString(pkg.signatureOrNull()));
    JsonNode n = post("/api/v1/skills", body, token);
    return new PublishResult(n.path("slug").asText(), n.path("created").asBoolean(), version(n));
  }

  public List<SkillSummary> search(String query) throws WardenSecurityException, IOException {
    JsonNode n = get("/api/v1/search?q=" + enc(query));
    List<SkillSummary> out = new ArrayList<>();
    for (JsonNode r : n.path("results")) {
      out.add(summary(r));
    }
    return out;
  }

  public SkillDetails skill(String slug) throws WardenSecurityException, IOException {
    JsonNode n = get("/api/v1/skills/" + enc(slug));
    List<VersionInfo> versions = new ArrayList<>();
    for (JsonNode v : n.path("versions")) {
      versions.add(version(v));
    }
    List<SkillReport> reports = new ArrayList<>();
    for (JsonNode r : n.path("reports")) {
      reports.add(new SkillReport(textOrNull(r, "version"), r.path("reason").asText(), Instant.parse(r.path("reportedAt").asText())));
    }
    return new SkillDetails(summary(n), versions, reports);
  }

  public List<VersionInfo> versions(String slug) throws WardenSecurityException, IOException {
    JsonNode n = get("/api/v1/skills/" + enc(slug) + "/versions");
    List<VersionInfo> out = new ArrayList<>();
    for (JsonNode v : n.path("versions")) {
      out.add(version(v));
    }
    return out;
  }

  /** Downloads and fully verifies; {@code versionOrNull} null means the latest version not yanked. */
  public Download download(String slug, String versionOrNull) throws WardenSecurityException, IOException {
    return download(slug, versionOrNull, false);
  }

  /** As {@link #download(String, String)}; {@code forInstall} lets the registry count an install. */
  public Download download(String slug, String versionOrNull, boolean forInstall) throws WardenSecurityException, IOException {
    PackageManifest.requireName(slug);
    String path = "/api/v1/download?slug=" + enc(slug)
        + (versionOrNull == null ? "" : "&version=" + enc(versionOrNull)) + (forInstall ? "&intent=install" : "");
    JsonNode n = get(path);
    SkillPackage pkg;
    JsonNode logPart = n.path("log");
    LogEntry entry;
    List<byte[]> proof;
    PublicKey presentedLogKey;
    long index;
    try {
      pkg = new SkillPackage(unb64(n, "archive"), unb64(n, "manifest"), unb64(n, "signature"));
      entry = LogEntry.parse(unb64(logPart, "entry"));
      proof = hexes(logPart.path("inclusionProof"));
      presentedLogKey = PublisherKey.parsePublicKeyPem(logPart.path("logPublicKey").asText());
      index = logPart.path("index").asLong(-1);
    } catch (IllegalArgumentException | PackageException e) {
      throw new RegistryException(0, "registry " + base + " sent a malformed download for " + slug + ": " + e.getMessage());
    }
    PackageManifest manifest = PackageManifest.parse(pkg.manifest());
    String what = slug + (versionOrNull == null ? "" : "@" + versionOrNull);
    if (!manifest.name().equals(slug) || (versionOrNull != null && !manifest.version().equals(versionOrNull))) {
      throw new RegistryException(0, "asked registry " + base + " for " + what + " but it served "
          + manifest.name() + "@" + manifest.version());
    }
    String manifestHash = Hashing.sha256Hex(pkg.manifest());
    if (!entry.skill().equals(manifest.name()) || !entry.version().equals(manifest.version())
        || !entry.manifestSha256().equals(manifestHash) || !entry.publisherKeyId().equals(manifest.publisherKeyId())) {
      throw new LogException(LogException.Reason.ENTRY_MISMATCH, "registry " + base + " served " + manifest.name() + "@" + manifest.version()
          + " (manifest SHA-256 " + manifestHash + ") with log entry " + index + " for " + entry.skill() + "@" + entry.version()
          + " (manifest SHA-256 " + entry.manifestSha256() + "): the package served is not the one in the transparency log");
    }
    SignedTreeHead head = SignedTreeHead.fromJson(logPart.path("treeHead"));
    monitor.advance(head, presentedLogKey, this::consistencyProof);
    LogMonitor.verifyInclusion(entry, index, head, proof, base.toString());
    VerifiedPackage verified = PackageVerifier.verify(pkg, trust);
    return new Download(base, verified, index, entry, head, n.path("yanked").asBoolean(), textOrNull(n, "yankReason"));
  }

  /** Fetches the current tree head and checks it against the last one seen. */
  public SignedTreeHead refreshHead() throws WardenSecurityException, IOException {
    JsonNode n = get("/api/v1/log/head");
    PublicKey key;
    try {
      key = PublisherKey.parsePublicKeyPem(n.path("logPublicKey").asText());
    } catch (PackageException e) {
      throw new RegistryException(0, "registry " + base + " sent a log head without a readable log key: " + e.getMessage());
    }
    return monitor.advance(SignedTreeHead.fromJson(n), key, this::consistencyProof);
  }

  /**
   * Reads every log entry up to a freshly verified head, checks that they hash to that head's
   * root, and reports versions logged with more than one manifest. Cost: one request per
   * {@link dev.warden.registry.tlog.TransparencyLog#MAX_ENTRIES_PER_PAGE} entries.
   */
  public LogAudit auditLog() throws WardenSecurityException, IOException {
    SignedTreeHead head = refreshHead();
    List<byte[]> leaves = new ArrayList<>();
    Map<String, java.util.Set<String>> hashes = new java.util.TreeMap<>();
    int page = dev.warden.registry.tlog.TransparencyLog.MAX_ENTRIES_PER_PAGE;
    for (long start = 0; start < head.treeSize(); start += page) {
      long end = Math.min(head.treeSize(), start + page);
      JsonNode n = get("/api/v1/log/entries?start=" + start + "&end=" + end);
      JsonNode arr = n.path("entries");
      if (!arr.isArray() || arr.size() != end - start) {
        throw new LogException(LogException.Reason.MALFORMED, "registry " + base + " returned " + arr.size()
            + " log entries for [" + start + ", " + end + ")");
      }
      for (JsonNode e : arr) {
        byte[] bytes;
        try {
          bytes = Base64.getDecoder().decode(e.asText());
        } catch (IllegalArgumentException ex) {
          throw new LogException(LogException.Reason.MALFORMED, "log entry is not base64", ex);
        }
        LogEntry entry = LogEntry.parse(bytes);
        leaves.add(MerkleTree.leafHash(bytes));
        hashes.computeIfAbsent(entry.skill() + "@" + entry.version(), k -> new java.util.TreeSet<>()).add(entry.manifestSha256());
      }
    }
    if (!java.security.MessageDigest.isEqual(MerkleTree.root(leaves, leaves.size()), head.rootHash())) {
      throw new LogException(LogException.Reason.FORK, "registry " + base + " served log entries that do not hash to its signed "
          + head + "; the entries shown are not the log that was signed");
    }
    Map<String, List<String>> conflicts = new java.util.TreeMap<>();
    hashes.forEach((k, v) -> {
      if (v.size() > 1) {
        conflicts.put(k, List.copyOf(v));
      }
    });
    return new LogAudit(head, leaves.size(), conflicts);
  }

  public void yank(String slug, String version, String reason, String token) throws WardenSecurityException, IOException {
    post("/api/v1/skills/" + enc(slug) + "/yank", Map.of("version", version, "reason", reason), token);
  }

  public void report(String slug, String versionOrNull, String reason, String token) throws WardenSecurityException, IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    if (versionOrNull != null) {
      body.put("version", versionOrNull);
    }
    body.put("reason", reason);
    post("/api/v1/skills/" + enc(slug) + "/report", body, token);
  }

  private List<byte[]> consistencyProof(long from, long to) throws LogException, IOException {
    try {
      JsonNode n = get("/api/v1/log/proof/consistency?from=" + from + "&to=" + to);
      return hexes(n.path("proof"));
    } catch (LogException e) {
      throw e;
    } catch (WardenSecurityException e) {
      throw new LogException(LogException.Reason.FORK, "registry " + base + " could not prove that its log of size " + to
          + " extends the one of size " + from + " this client saw: " + e.getMessage(), e);
    }
  }

  private static List<byte[]> hexes(JsonNode arr) throws LogException {
    if (!arr.isArray() || arr.size() > MerkleTree.MAX_PROOF_HASHES) {
      throw new LogException(LogException.Reason.MALFORMED, "proof must be an array of at most " + MerkleTree.MAX_PROOF_HASHES + " hashes");
    }
    List<byte[]> out = new ArrayList<>();
    try {
      for (JsonNode h : arr) {
        out.add(HexFormat.of().parseHex(h.asText()));
      }
    } catch (IllegalArgumentException e) {
      throw new LogException(LogException.Reason.MALFORMED, "proof hash is not hex: " + e.getMessage(), e);
    }
    return out;
  }

  private JsonNode get(String pathAndQuery) throws RegistryException, IOException {
    return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout).GET().build());
  }

  private JsonNode post(String path, Map<String, Object> body, String token) throws RegistryException, IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(CanonicalJson.write(body)));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  private JsonNode send(HttpRequest request) throws RegistryException, IOException {
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while talking to registry " + base, e);
    }
    byte[] bytes;
    try (InputStream in = resp.body()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) != -1) {
        out.write(buf, 0, n);
        if (out.size() > MAX_RESPONSE_BYTES) {
          throw new RegistryException(0, "registry " + base + " sent more than " + MAX_RESPONSE_BYTES + " bytes for " + request.uri().getPath());
        }
      }
      bytes = out.toByteArray();
    }
    JsonNode node;
    try {
      node = CanonicalJson.read(bytes);
    } catch (IOException e) {
      throw new RegistryException(resp.statusCode(), "registry " + base + " answered " + request.uri().getPath()
          + " with HTTP " + resp.statusCode() + " and a body that is not JSON");
    }
    if (resp.statusCode() / 100 != 2) {
      throw new RegistryException(resp.statusCode(), "registry " + base + " refused " + request.method() + " "
          + request.uri().getPath() + " (HTTP " + resp.statusCode() + "): " + node.path("error").asText("no reason given"));
    }
    return node;
  }

  private static SkillSummary summary(JsonNode n) {
    return new SkillSummary(n.path("slug").asText(), n.path("owner").asText(), n.path("description").asText(),
        Instant.parse(n.path("firstSeen").asText()), n.path("downloads").asLong(), n.path("installs").asLong(), textOrNull(n, "latestVersion"));
  }

  private static VersionInfo version(JsonNode v) {
    return new VersionInfo(v.path("version").asText(), Instant.parse(v.path("publishedAt").asText()), v.path("manifestSha256").asText(),
        v.path("publisher").asText(), v.path("publisherKeyId").asText(), v.path("logIndex").asLong(), v.path("yanked").asBoolean(),
        textOrNull(v, "yankReason"));
  }

  private static String textOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static byte[] unb64(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return Base64.getDecoder().decode(v.asText());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
