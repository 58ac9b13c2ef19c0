package dev.warden.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.registry.pkg.PackageException;
import dev.warden.registry.pkg.PackageLimits;
import dev.warden.registry.pkg.PackageManifest;
import dev.warden.registry.pkg.PackageVerifier;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.pkg.VerifiedPackage;
import dev.warden.registry.pkg.internal.CanonicalJson;
import dev.warden.registry.server.internal.RegistryDatabase;
import dev.warden.registry.server.internal.RegistryDatabase.PackageRow;
import dev.warden.registry.server.internal.RegistryDatabase.SkillRow;
import dev.warden.registry.server.internal.RegistryDatabase.VersionRow;
import dev.warden.registry.tlog.LogException;
import dev.warden.registry.tlog.SignedTreeHead;
import dev.warden.registry.tlog.TransparencyLog;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The skill registry: an HTTP API close to ClawHub's, backed by SQLite, with a transparency log.
 *
 * <p>Endpoints (all JSON): {@code GET /api/v1/search?q=}, {@code GET /api/v1/skills/{slug}},
 * {@code GET /api/v1/skills/{slug}/versions}, {@code GET /api/v1/download?slug=&version=}
 * (package, manifest, signature, log entry, signed tree head and inclusion proof; add
 * {@code &intent=install} to count an install), {@code POST /api/v1/skills} (publish),
 * {@code POST /api/v1/skills/{slug}/yank}, {@code POST /api/v1/skills/{slug}/report},
 * {@code GET /api/v1/log/head}, {@code GET /api/v1/log/proof/inclusion?index=&treeSize=},
 * {@code GET /api/v1/log/proof/consistency?from=&to=}, {@code GET /api/v1/log/entries?start=&end=}.
 *
 * <p>Threats: publishing needs a bearer token (stored hashed, see {@link RegistryTokens}); the
 * account name is the publisher name, so nobody can publish under another publisher's name; the
 * registry verifies the signature and contents of every package before accepting it; a version is
 * immutable once published; request bodies are bounded before they are read. The registry is
 * not trusted by clients: they verify signatures against their own trust store and every answer
 * against the log.
 *
 * <p>Data directory: {@code registry.db} (SQLite, WAL), {@code tokens.json}, and
 * {@code log-key/registry-log.key.pem} + {@code .pub.json} (the log's Ed25519 key, created on
 * first start).
 */
public final class RegistryServer implements AutoCloseable {
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Largest publish request, in bytes: a maximal archive in base64 plus manifest and signature. */
  public static final long MAX_PUBLISH_REQUEST_BYTES = (PackageLimits.MAX_ARCHIVE_BYTES / 3L + 1) * 4 + 2L * PackageLimits.MAX_MANIFEST_BYTES;

  /** Largest request for every other POST (yank, report), in bytes. */
  public static final int MAX_SMALL_REQUEST_BYTES = 16 * 1024;

  /** Most search results returned. */
  public static final int MAX_SEARCH_RESULTS = 50;

  /** Longest search query, in characters. */
  public static final int MAX_QUERY_CHARS = 200;

  /** Longest yank or report reason, in characters. */
  public static final int MAX_REASON_CHARS = 2_000;

  static final String LOG_KEY_NAME = "registry-log";

  private final Javalin app;
  private final RegistryDatabase db;
  private final RegistryTokens tokens;
  private final PublisherKeyPair logKey;
  private final String host;

  private RegistryServer(Javalin app, RegistryDatabase db, RegistryTokens tokens, PublisherKeyPair logKey, String host) {
    this.app = app;
    this.db = db;
    this.tokens = tokens;
    this.logKey = logKey;
    this.host = host;
  }

  /** Starts on 127.0.0.1; {@code port} 0 picks a free port. */
  public static RegistryServer start(int port, Path dataDir) throws IOException {
    return start(DEFAULT_HOST, port, dataDir, InstantSource.system());
  }

  public static RegistryServer start(String host, int port, Path dataDir, InstantSource clock) throws IOException {
    Files.createDirectories(dataDir);
    PublisherKeyPair logKey = loadOrCreateLogKey(dataDir.resolve("log-key"));
    RegistryDatabase db;
    try {
      db = new RegistryDatabase(dataDir.resolve("registry.db"), logKey, clock);
    } catch (SQLException e) {
      throw new IOException("cannot open the registry database in " + dataDir + ": " + e.getMessage(), e);
    }
    RegistryTokens tokens = RegistryTokens.open(dataDir, clock);
    Handlers h = new Handlers(db, tokens, logKey);
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = MAX_PUBLISH_REQUEST_BYTES;
      config.routes.get("/api/v1/search", h::search);
      config.routes.get("/api/v1/skills/{slug}", h::skill);
      config.routes.get("/api/v1/skills/{slug}/versions", h::versions);
      config.routes.get("/api/v1/download", h::download);
      config.routes.post("/api/v1/skills", h::publish);
      config.routes.post("/api/v1/skills/{slug}/yank", h::yank);
      config.routes.post("/api/v1/skills/{slug}/report", h::report);
      config.routes.get("/api/v1/log/head", h::head);
      config.routes.get("/api/v1/log/proof/inclusion", h::inclusion);
      config.routes.get("/api/v1/log/proof/consistency", h::consistency);
      config.routes.get("/api/v1/log/entries", h::entries);
      config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
      config.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error in the registry; see its log"));
    });
    try {
      app.start(host, port);
    } catch (RuntimeException e) {
      try {
        db.close();
      } catch (SQLException ignored) {
        // already failing
      }
      throw new IOException("cannot start the registry on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new RegistryServer(app, db, tokens, logKey, host);
  }

  public int port() {
    return app.port();
  }

  public URI baseUri() {
    return URI.create("http://" + host + ":" + port());
  }

  /** The log's public key: what clients should pin for this registry. */
  public PublisherKey logKey() {
    return logKey.publicKey();
  }

  public RegistryTokens tokens() {
    return tokens;
  }

  /** Issues a publish token for {@code account} (also the publisher name it may publish under). */
  public String issueToken(String account) throws IOException {
    return tokens.issue(account);
  }

  @Override
  public void close() {
    app.stop();
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing: nothing left to protect
    }
  }

  private static PublisherKeyPair loadOrCreateLogKey(Path dir) throws IOException {
    if (Files.exists(PublisherKeyPair.privateKeyFile(dir, LOG_KEY_NAME))) {
      try {
        return PublisherKeyPair.load(dir, LOG_KEY_NAME);
      } catch (PackageException e) {
        throw new IOException("the registry's log key in " + dir + " is unreadable: " + e.getMessage(), e);
      }
    }
    PublisherKeyPair k = PublisherKeyPair.generate(LOG_KEY_NAME);
    k.save(dir);
    return k;
  }

  static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json").result(CanonicalJson.write(Map.of("error", message)));
  }

  /** An expected failure with its HTTP status. */
  static final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private record Handlers(RegistryDatabase db, RegistryTokens tokens, PublisherKeyPair logKey) {
    void search(Context ctx) throws SQLException {
      String q = Objects.requireNonNullElse(ctx.queryParam("q"), "");
      if (q.length() > MAX_QUERY_CHARS) {
        throw new ApiError(400, "query is longer than " + MAX_QUERY_CHARS + " characters");
      }
      List<Object> results = new ArrayList<>();
      for (SkillRow s : db.search(q, MAX_SEARCH_RESULTS)) {
        results.add(summary(s, db.versions(s.slug())));
      }
      json(ctx, 200, Map.of("query", q, "results", results));
    }

    void skill(Context ctx) throws SQLException {
      SkillRow s = requireSkill(ctx.pathParam("slug"));
      List<VersionRow> versions = db.versions(s.slug());
      Map<String, Object> m = summary(s, versions);
      m.put("versions", versions.stream().map(Handlers::version).toList());
      List<Object> reports = new ArrayList<>();
      for (RegistryDatabase.ReportRow r : db.reports(s.slug())) {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("version", r.versionOrNull());
        rm.put("reason", r.reason());
        rm.put("reportedAt", r.at().toString());
        reports.add(rm);
      }
      m.put("reports", reports);
      json(ctx, 200, m);
    }

    void versions(Context ctx) throws SQLException {
      SkillRow s = requireSkill(ctx.pathParam("slug"));
      json(ctx, 200, Map.of("slug", s.slug(), "versions", db.versions(s.slug()).stream().map(Handlers::version).toList()));
    }

    void download(Context ctx) throws SQLException, LogException {
      SkillRow s = requireSkill(Objects.requireNonNullElse(ctx.queryParam("slug"), ""));
      String version = ctx.queryParam("version");
      if (version == null || version.isEmpty()) {
        version = db.versions(s.slug()).stream().filter(v -> !v.yanked()).reduce((a, b) -> b)
            .map(VersionRow::version)
            .orElseThrow(() -> new ApiError(404, "skill '" + s.slug() + "' has no version that is not yanked"));
      }
      String v = version;
      PackageRow p = db.packageRow(s.slug(), version)
          .orElseThrow(() -> new ApiError(404, "skill '" + s.slug() + "' has no version " + v));
      TransparencyLog log = db.log();
      SignedTreeHead head = log.head();
      List<byte[]> proof = log.inclusionProof(p.version().logIndex(), head.treeSize());
      db.countDownload(s.slug(), "install".equals(ctx.queryParam("intent")));
      Map<String, Object> logPart = new LinkedHashMap<>();
      logPart.put("index", p.version().logIndex());
      logPart.put("entry", b64(log.entry(p.version().logIndex()).canonicalBytes()));
      logPart.put("treeHead", head.toMap());
      logPart.put("logPublicKey", logKey.publicKey().publicKeyPem());
      logPart.put("inclusionProof", hexList(proof));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("slug", s.slug());
      m.put("version", p.version().version());
      m.put("yanked", p.version().yanked());
      m.put("yankReason", p.version().yankReasonOrNull());
      m.put("manifest", b64(p.manifest()));
      m.put("signature", b64(p.signature()));
      m.put("archive", b64(p.archive()));
      m.put("log", logPart);
      json(ctx, 200, m);
    }

    void publish(Context ctx) throws SQLException {
      String account = requireAccount(ctx);
      JsonNode body = readJson(ctx, MAX_PUBLISH_REQUEST_BYTES);
      SkillPackage pkg;
      try {
        pkg = new SkillPackage(unb64(body, "archive"), unb64(body, "manifest"), unb64(body, "signature"));
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, "publish body needs base64 fields archive, manifest and signature: " + e.getMessage());
      }
      VerifiedPackage v;
      try {
        v = PackageVerifier.verifySignatureOnly(pkg);
      } catch (PackageException e) {
        throw new ApiError(400, "package refused (" + e.reason() + "): " + e.getMessage());
      }
      PackageManifest m = v.manifest();
      if (!m.publisher().equals(account)) {
        throw new ApiError(403, "account '" + account + "' may only publish as publisher '" + account
            + "', but the package is signed as '" + m.publisher() + "'");
      }
      RegistryDatabase.PublishOutcome outcome;
      try {
        outcome = db.publish(account, m, pkg.manifest(), pkg.signatureOrNull(), pkg.archive());
      } catch (RegistryDatabase.VersionConflict e) {
        throw new ApiError(409, e.getMessage());
      } catch (RegistryDatabase.NotOwner e) {
        throw new ApiError(403, e.getMessage());
      }
      VersionRow row = db.packageRow(m.name(), m.version()).orElseThrow().version();
      Map<String, Object> out = version(row);
      out.put("slug", m.name());
      out.put("created", outcome == RegistryDatabase.PublishOutcome.CREATED);
      json(ctx, outcome == RegistryDatabase.PublishOutcome.CREATED ? 201 : 200, out);
    }

    void yank(Context ctx) throws SQLException {
      String account = requireAccount(ctx);
      SkillRow s = requireSkill(ctx.pathParam("slug"));
      if (!s.owner().equals(account)) {
        throw new ApiError(403, "only the owner of '" + s.slug() + "' (" + s.owner() + ") can yank its versions");
      }
      JsonNode body = readJson(ctx, MAX_SMALL_REQUEST_BYTES);
      String version = body.path("version").asText("");
      String reason = reason(body);
      if (!db.yank(s.slug(), version, reason)) {
        throw new ApiError(404, "skill '" + s.slug() + "' has no version '" + version + "'");
      }
      json(ctx, 200, Map.of("slug", s.slug(), "version", version, "yanked", true));
    }

    void report(Context ctx) throws SQLException {
      String account = requireAccount(ctx);
      SkillRow s = requireSkill(ctx.pathParam("slug"));
      JsonNode body = readJson(ctx, MAX_SMALL_REQUEST_BYTES);
      String version = body.hasNonNull("version") ? body.get("version").asText() : null;
      if (version != null && db.packageRow(s.slug(), version).isEmpty()) {
        throw new ApiError(404, "skill '" + s.slug() + "' has no version '" + version + "'");
      }
      db.report(s.slug(), version, account, reason(body));
      json(ctx, 201, Map.of("slug", s.slug(), "reported", true));
    }

    void head(Context ctx) throws SQLException {
      Map<String, Object> m = new LinkedHashMap<>(db.log().head().toMap());
      m.put("logPublicKey", logKey.publicKey().publicKeyPem());
      json(ctx, 200, m);
    }

    void inclusion(Context ctx) throws SQLException {
      long index = longParam(ctx, "index");
      long size = longParam(ctx, "treeSize");
      try {
        json(ctx, 200, Map.of("index", index, "treeSize", size, "proof", hexList(db.log().inclusionProof(index, size))));
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, e.getMessage());
      }
    }

    void consistency(Context ctx) throws SQLException {
      long from = longParam(ctx, "from");
      long to = longParam(ctx, "to");
      try {
        json(ctx, 200, Map.of("from", from, "to", to, "proof", hexList(db.log().consistencyProof(from, to))));
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, e.getMessage());
      }
    }

    void entries(Context ctx) throws SQLException {
      long start = longParam(ctx, "start");
      long end = longParam(ctx, "end");
      try {
        json(ctx, 200, Map.of("start", start, "entries", db.log().entries(start, end).stream().map(Handlers::b64).toList()));
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, e.getMessage());
      }
    }

    private String requireAccount(Context ctx) {
      Optional<String> account = tokens.authenticate(ctx.header("Authorization"));
      if (account.isEmpty()) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new ApiError(401, "a valid publish token is required: send 'Authorization: Bearer <token>'"
            + " (issue one with `warden registry token create ACCOUNT` on the registry host)");
      }
      return account.get();
    }

    private SkillRow requireSkill(String slug) throws SQLException {
      if (!PackageManifest.NAME.matcher(slug).matches()) {
        throw new ApiError(400, "'" + slug + "' is not a valid skill slug (" + PackageManifest.NAME.pattern() + ")");
      }
      return db.skill(slug).orElseThrow(() -> new ApiError(404, "no skill '" + slug + "' in this registry"));
    }

    private static String reason(JsonNode body) {
      String reason = body.path("reason").asText("").strip();
      if (reason.isEmpty() || reason.length() > MAX_REASON_CHARS) {
        throw new ApiError(400, "a reason of 1 to " + MAX_REASON_CHARS + " characters is required");
      }
      return reason;
    }

    private static long longParam(Context ctx, String name) {
      try {
        return Long.parseLong(Objects.requireNonNull(ctx.queryParam(name)));
      } catch (RuntimeException e) {
        throw new ApiError(400, "query parameter '" + name + "' must be an integer");
      }
    }

    private static Map<String, Object> summary(SkillRow s, List<VersionRow> versions) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("slug", s.slug());
      m.put("owner", s.owner());
      m.put("description", s.description());
      m.put("firstSeen", s.firstSeen().toString());
      m.put("downloads", s.downloads());
      m.put("installs", s.installs());
      m.put("latestVersion", versions.stream().filter(v -> !v.yanked()).reduce((a, b) -> b).map(VersionRow::version).orElse(null));
      return m;
    }

    private static Map<String, Object> version(VersionRow v) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", v.version());
      m.put("publishedAt", v.publishedAt().toString());
      m.put("manifestSha256", v.manifestSha256());
      m.put("publisher", v.publisher());
      m.put("publisherKeyId", v.publisherKeyId());
      m.put("logIndex", v.logIndex());
      m.put("yanked", v.yanked());
      m.put("yankReason", v.yankReasonOrNull());
      return m;
    }

    private static JsonNode readJson(Context ctx, long maxBytes) {
      long declared = ctx.contentLength();
      if (declared > maxBytes) {
        throw new ApiError(413, "request body of " + declared + " bytes is over the limit of " + maxBytes);
      }
      try (InputStream in = ctx.bodyInputStream()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) != -1) {
          out.write(buf, 0, n);
          if (out.size() > maxBytes) {
            throw new ApiError(413, "request body is over the limit of " + maxBytes + " bytes");
          }
        }
        JsonNode node = CanonicalJson.read(out.toByteArray());
        if (!node.isObject()) {
          throw new ApiError(400, "request body must be a JSON object");
        }
        return node;
      } catch (IOException e) {
        throw new ApiError(400, "request body is not valid JSON: " + e.getMessage());
      }
    }

    private static byte[] unb64(JsonNode body, String field) {
      JsonNode n = body.get(field);
      if (n == null || !n.isTextual()) {
        throw new IllegalArgumentException("missing field '" + field + "'");
      }
      return Base64.getDecoder().decode(n.asText());
    }

    private static String b64(byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }

    private static List<String> hexList(List<byte[]> hashes) {
      return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }

    private static void json(Context ctx, int status, Object body) {
      ctx.status(status).contentType("application/json").result(CanonicalJson.write(body));
    }
  }
}
