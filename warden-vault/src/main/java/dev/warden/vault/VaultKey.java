package dev.warden.vault;

import dev.warden.kernel.WardenSecurityException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The vault's 256-bit AES key and where it came from.
 *
 * <p>Sources, in order of precedence ({@link #resolve}): the environment variable
 * {@value #ENV_VAR} (base64 of 32 bytes), then a key file holding the same. A missing key file is
 * created with mode 0600 on first use. A key file that group or others can access is refused: the
 * key is the vault.
 */
public final class VaultKey {
  /** Environment variable holding the base64 key; wins over the key file. */
  public static final String ENV_VAR = "WARDEN_VAULT_KEY";

  /** AES-256. */
  public static final int KEY_BYTES = 32;

  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final Secret key;
  private final String source;

  private VaultKey(Secret key, String source) {
    this.key = key;
    this.source = source;
  }

  /** The key from {@value #ENV_VAR} if set in {@code environment}, else from {@code keyFile}. */
  public static VaultKey resolve(Path keyFile, Map<String, String> environment) throws WardenSecurityException {
    String fromEnv = environment.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromBase64(fromEnv, "environment variable " + ENV_VAR);
    }
    return fromFile(keyFile);
  }

  /** Decodes a base64 key; {@code sourceDescription} names where it came from for error messages. */
  public static VaultKey fromBase64(String base64, String sourceDescription) throws WardenSecurityException {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new WardenSecurityException(
          "vault key from " + sourceDescription + " is not valid base64; generate one with"
              + " `head -c 32 /dev/urandom | base64`");
    }
    try {
      if (raw.length != KEY_BYTES) {
        throw new WardenSecurityException(
            "vault key from " + sourceDescription + " decodes to " + raw.length + " bytes, expected "
                + KEY_BYTES + "; generate one with `head -c 32 /dev/urandom | base64`");
      }
      return new VaultKey(Secret.copyOf(raw), sourceDescription);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * Reads the key file, creating it (mode 0600, fresh random key) if it does not exist.
   *
   * @throws WardenSecurityException if the file is accessible to group or others, or malformed
   */
  public static VaultKey fromFile(Path keyFile) throws WardenSecurityException {
    Objects.requireNonNull(keyFile, "keyFile");
    try {
      if (!Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
        createKeyFile(keyFile);
      }
      if (Files.isSymbolicLink(keyFile)) {
        throw new WardenSecurityException(
            "vault key file " + keyFile + " is a symbolic link; replace it with the regular file it points to");
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
      loose.addAll(perms);
      loose.retainAll(GROUP_OR_OTHERS);
      if (!loose.isEmpty()) {
        throw new WardenSecurityException(
            "vault key file " + keyFile + " has mode " + PosixFilePermissions.toString(perms)
                + ", which lets group or others read it; run `chmod 600 " + keyFile + "` and consider"
                + " rotating every secret in the vault");
      }
      String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
      return fromBase64(text, "key file " + keyFile);
    } catch (IOException e) {
      throw new WardenSecurityException(
          "cannot read or create vault key file " + keyFile + ": " + e.getMessage()
              + "; check the directory exists and is writable by the Warden user, or set " + ENV_VAR, e);
    }
  }

  private static void createKeyFile(Path keyFile) throws IOException {
    Path parent = keyFile.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    byte[] raw = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(raw);
    byte[] encoded = Base64.getEncoder().encode(raw);
    Arrays.fill(raw, (byte) 0);
    try {
      // Created with 0600 from the start, so there is no window where the key is readable.
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(keyFile, encoded);
    } catch (FileAlreadyExistsException raced) {
      // Another process created it first; use theirs.
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  /** Where the key came from, for messages. */
  public String source() {
    return source;
  }

  Secret secret() {
    return key;
  }

  @Override
  public String toString() {
    return "VaultKey[from " + source + ", redacted]";
  }
}
