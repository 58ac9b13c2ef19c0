package dev.warden.egress;

import dev.warden.kernel.WardenBugException;
import dev.warden.kernel.WardenSecurityException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Warden's TLS interception CA: generated once per state directory, it signs a leaf certificate for
 * each host a sandbox connects to, so the egress proxy can read (and scan, and inject credentials
 * into) HTTPS requests.
 *
 * <h2>Files in the CA directory</h2>
 * <ul>
 *   <li>{@value #KEY_FILE}: the CA private key (PKCS#8 PEM, mode 0600; refused if group or others
 *       can access it);
 *   <li>{@value #CERT_FILE}: the CA certificate, for {@code NODE_EXTRA_CA_CERTS} and similar;
 *   <li>{@value #BUNDLE_FILE}: the system CA bundle followed by the Warden CA, for
 *       {@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE}, {@code CURL_CA_BUNDLE}.
 * </ul>
 *
 * <h2>Threats</h2>
 * The CA key lets whoever holds it impersonate any site to a client that trusts the CA; only
 * sandboxes trust it (through the environment the gateway gives them), never the host. Leaves are
 * short-lived ({@link #LEAF_VALIDITY}) and share one per-process key pair, which never leaves memory.
 */
public final class CertificateAuthority {
  public static final String KEY_FILE = "ca-key.pem";
  public static final String CERT_FILE = "ca-cert.pem";
  public static final String BUNDLE_FILE = "ca-bundle.pem";
  /** Validity of the generated CA certificate. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Validity of each leaf certificate. */
  public static final Duration LEAF_VALIDITY = Duration.ofDays(30);
  /** Leaves are re-issued when they expire within this margin. */
  public static final Duration LEAF_RENEW_MARGIN = Duration.ofDays(1);
  /** Upper bound on cached leaf contexts (least recently used evicted). */
  public static final int MAX_CACHED_LEAVES = 1024;
  /** System CA bundles looked for when writing {@value #BUNDLE_FILE}. */
  public static final List<Path> SYSTEM_BUNDLES = List.of(
      Path.of("/etc/ssl/certs/ca-certificates.crt"), Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
      Path.of("/etc/ssl/cert.pem"));

  private static final char[] KEYSTORE_PASSWORD = "warden-in-memory".toCharArray();
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private record Leaf(SSLContext context, Instant notAfter) {}

  private final Path dir;
  private final X509Certificate caCert;
  private final PrivateKey caKey;
  private final KeyPair leafKeys;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Leaf> leaves = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Leaf> eldest) {
      return size() > MAX_CACHED_LEAVES;
    }
  };

  private CertificateAuthority(Path dir, X509Certificate caCert, PrivateKey caKey) {
    this.dir = dir;
    this.caCert = caCert;
    this.caKey = caKey;
    this.leafKeys = newEcKeyPair();
  }

  /** Loads the CA from {@code dir}, generating it (and the bundle) on first use. */
  public static CertificateAuthority loadOrCreate(Path dir) throws WardenSecurityException {
    try {
      Files.createDirectories(dir);
      Path keyFile = dir.resolve(KEY_FILE);
      Path certFile = dir.resolve(CERT_FILE);
      CertificateAuthority ca;
      if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS) && Files.exists(certFile)) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
          throw new WardenSecurityException("Warden CA key " + keyFile + " has mode "
              + PosixFilePermissions.toString(perms) + ", which lets group or others read it; run `chmod 600 "
              + keyFile + "`, or delete the CA directory to generate a new CA (sandboxes pick it up on their next start)");
        }
        ca = new CertificateAuthority(dir, readCert(certFile), readKey(keyFile));
      } else {
        ca = generate(dir);
      }
      ca.writeBundle();
      return ca;
    } catch (IOException | GeneralSecurityException e) {
      throw new WardenSecurityException("cannot load or create the Warden CA in " + dir + ": " + e.getMessage()
          + "; delete the directory to generate a new CA", e);
    }
  }

  private static CertificateAuthority generate(Path dir) throws IOException, GeneralSecurityException {
    KeyPair kp = newEcKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Warden")
        .addRDN(BCStyle.CN, "Warden egress CA " + now.toString().substring(0, 10) + " " + Long.toHexString(new SecureRandom().nextLong()))
        .build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, kp.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
      Path keyFile = dir.resolve(KEY_FILE);
      Path tmp = Files.createTempFile(dir, ".ca-key", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
      Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Path certTmp = Files.createTempFile(dir, ".ca-cert", ".tmp");
      Files.writeString(certTmp, pem("CERTIFICATE", cert.getEncoded()));
      Files.setPosixFilePermissions(certTmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(certTmp, dir.resolve(CERT_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new CertificateAuthority(dir, cert, kp.getPrivate());
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the CA certificate: " + e.getMessage(), e);
    }
  }

  private void writeBundle() throws IOException, GeneralSecurityException {
    StringBuilder b = new StringBuilder();
    for (Path p : SYSTEM_BUNDLES) {
      if (Files.isReadable(p)) {
        b.append(Files.readString(p, StandardCharsets.UTF_8));
        if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') {
          b.append('\n');
        }
        break;
      }
    }
    b.append("# Warden egress CA\n").append(certificatePem());
    Path tmp = Files.createTempFile(dir, ".ca-bundle", ".tmp");
    Files.writeString(tmp, b);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(tmp, bundlePath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return caCert;
  }

  /** The CA certificate in PEM. */
  public String certificatePem() {
    try {
      return pem("CERTIFICATE", caCert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new WardenBugException("cannot encode our own CA certificate", e);
    }
  }

  /** {@value #CERT_FILE}: the CA certificate alone. */
  public Path certificatePath() {
    return dir.resolve(CERT_FILE);
  }

  /** {@value #BUNDLE_FILE}: system roots plus the Warden CA. */
  public Path bundlePath() {
    return dir.resolve(BUNDLE_FILE);
  }

  /**
   * A server-side TLS context presenting a leaf certificate for {@code host} (a DNS name or an IP
   * literal) signed by this CA. Cached per host.
   */
  public SSLContext serverContextFor(String host) throws WardenSecurityException {
    String h = host.toLowerCase(Locale.ROOT);
    synchronized (leaves) {
      Leaf cached = leaves.get(h);
      if (cached != null && Instant.now().plus(LEAF_RENEW_MARGIN).isBefore(cached.notAfter)) {
        return cached.context;
      }
    }
    Leaf leaf = issue(h);
    synchronized (leaves) {
      leaves.put(h, leaf);
    }
    return leaf.context;
  }

  /** Issues a leaf certificate for {@code host} with this CA (exposed for test servers). */
  public X509Certificate issueLeafCertificate(String host) throws WardenSecurityException {
    try {
      return leafCertificate(host.toLowerCase(Locale.ROOT), Instant.now());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new WardenSecurityException("cannot issue a certificate for " + host + ": " + e.getMessage(), e);
    }
  }

  private Leaf issue(String host) throws WardenSecurityException {
    try {
      Instant now = Instant.now();
      X509Certificate leaf = leafCertificate(host, now);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("leaf", leafKeys.getPrivate(), KEYSTORE_PASSWORD, new X509Certificate[] {leaf, caCert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, KEYSTORE_PASSWORD);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, random);
      return new Leaf(ctx, leaf.getNotAfter().toInstant());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new WardenSecurityException("cannot issue a TLS certificate for " + host + ": " + e.getMessage(), e);
    }
  }

  private X509Certificate leafCertificate(String host, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    boolean ip = isIpLiteral(host);
    String cn = host.length() > 64 ? host.substring(0, 64) : host;
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    GeneralName san = ip ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, new BigInteger(127, random),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LEAF_VALIDITY)), subject, leafKeys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafKeys.getPublic()))
        .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
  }

  /**
   * A complete server TLS context for a test server: leaf for {@code host} with a fresh key, signed by
   * this CA. Unlike {@link #serverContextFor}, nothing is cached.
   */
  public SSLContext newServerContext(String host) throws WardenSecurityException {
    return issue(host.toLowerCase(Locale.ROOT)).context;
  }

  private static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9a-fA-F.:]+")) {
      return false;
    }
    try {
      InetAddress.ofLiteral(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new WardenBugException("EC P-256 unavailable in this JDK", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] unpem(String text, String type) throws GeneralSecurityException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int a = text.indexOf(begin);
    int z = text.indexOf(end);
    if (a < 0 || z < a) {
      throw new GeneralSecurityException("no PEM " + type + " block found");
    }
    return Base64.getMimeDecoder().decode(text.substring(a + begin.length(), z));
  }

  private static X509Certificate readCert(Path p) throws IOException, GeneralSecurityException {
    byte[] der = unpem(Files.readString(p, StandardCharsets.US_ASCII), "CERTIFICATE");
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static PrivateKey readKey(Path p) throws IOException, GeneralSecurityException {
    byte[] der = unpem(Files.readString(p, StandardCharsets.US_ASCII), "PRIVATE KEY");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + caCert.getSubjectX500Principal().getName() + "]";
  }
}
