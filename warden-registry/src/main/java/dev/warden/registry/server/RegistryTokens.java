package dev.warden.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.kernel.Hashing;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.internal.AtomicFiles;
import dev.warden.registry.pkg.internal.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publish tokens: {@code tokens.json} in the registry's data directory holds, per account, only
 * the SHA-256 of each token. Tokens are 256 random bits, so a plain hash (not a slow password
 * hash) is enough to make a stolen file useless; comparison is constant-time. The file is re-read
 * when it changes, so tokens issued by another process (the CLI) work without a restart.
 */
public final class RegistryTokens {
  public static final String FILE_NAME = "tokens.json";

  /** Prefix that makes Warden registry tokens recognisable to secret scanners. */
  public static final String TOKEN_PREFIX = "wrt_";

  /** Random bytes in a token. */
  public static final int TOKEN_RANDOM_BYTES = 32;

  /** Longest Authorization header value considered, in characters. */
  public static final int MAX_TOKEN_CHARS = 128;

  private record Stored(String account, String sha256, String createdAt) {}

  private final Path file;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();
  private List<Stored> tokens = List.of();
  private FileTime loadedMtime;

  private RegistryTokens(Path file, InstantSource clock) {
    this.file = file;
    this.clock = clock;
  }

  public static RegistryTokens open(Path dataDir, InstantSource clock) throws IOException {
    RegistryTokens t = new RegistryTokens(dataDir.resolve(FILE_NAME), clock);
    t.reloadIfChanged();
    return t;
  }

  /** Issues a new token for {@code account}; the plain token is returned once and never stored. */
  public synchronized String issue(String account) throws IOException {
    PublisherKey.requirePublisherName(account);
    reloadIfChanged();
    byte[] raw = new byte[TOKEN_RANDOM_BYTES];
    random.nextBytes(raw);
    String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    List<Stored> next = new ArrayList<>(tokens);
    next.add(new Stored(account, Hashing.sha256Hex(token), clock.instant().toString()));
    save(next);
    return token;
  }

  /** Removes every token of {@code account}; returns how many. */
  public synchronized int revokeAll(String account) throws IOException {
    reloadIfChanged();
    List<Stored> next = tokens.stream().filter(t -> !t.account().equals(account)).toList();
    int removed = tokens.size() - next.size();
    save(next);
    return removed;
  }

  /** The account a {@code Bearer} header value authenticates, or empty. */
  public synchronized Optional<String> authenticate(String authorizationHeaderOrNull) {
    if (authorizationHeaderOrNull == null || authorizationHeaderOrNull.length() > MAX_TOKEN_CHARS
        || !authorizationHeaderOrNull.startsWith("Bearer ")) {
      return Optional.empty();
    }
    try {
      reloadIfChanged();
    } catch (IOException e) {
      return Optional.empty();
    }
    byte[] presented = Hashing.sha256(authorizationHeaderOrNull.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    String account = null;
    for (Stored t : tokens) {
      // scan them all: timing does not reveal which entry matched
      if (MessageDigest.isEqual(presented, java.util.HexFormat.of().parseHex(t.sha256()))) {
        account = t.account();
      }
    }
    return Optional.ofNullable(account);
  }

  private void save(List<Stored> next) throws IOException {
    List<Object> out = new ArrayList<>();
    for (Stored t : next) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account", t.account());
      m.put("sha256", t.sha256());
      m.put("createdAt", t.createdAt());
      out.add(m);
    }
    AtomicFiles.write(file, CanonicalJson.write(Map.of("tokens", out)), PosixFilePermissions.fromString("rw-------"));
    tokens = List.copyOf(next);
    loadedMtime = Files.getLastModifiedTime(file);
  }

  private void reloadIfChanged() throws IOException {
    if (!Files.exists(file)) {
      tokens = List.of();
      loadedMtime = null;
      return;
    }
    FileTime mtime = Files.getLastModifiedTime(file);
    if (mtime.equals(loadedMtime)) {
      return;
    }
    JsonNode root = CanonicalJson.read(Files.readAllBytes(file));
    List<Stored> read = new ArrayList<>();
    for (JsonNode t : root.path("tokens")) {
      read.add(new Stored(t.path("account").asText(), t.path("sha256").asText(), t.path("createdAt").asText()));
    }
    tokens = List.copyOf(read);
    loadedMtime = mtime;
  }
}
