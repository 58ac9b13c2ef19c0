package dev.warden.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.WardenSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  @TempDir Path dir;

  @Test
  void loadOrCreate_firstStart_writesKey600CertAndBundle() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(CertificateAuthority.KEY_FILE))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(ca.certificatePath())).startsWith("-----BEGIN CERTIFICATE-----");
    String bundle = Files.readString(ca.bundlePath());
    assertThat(bundle).endsWith(ca.certificatePem());
    assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void loadOrCreate_secondStart_sameCa() throws Exception {
    X509Certificate first = CertificateAuthority.loadOrCreate(dir).certificate();
    assertThat(CertificateAuthority.loadOrCreate(dir).certificate()).isEqualTo(first);
  }

  @Test
  void loadOrCreate_keyReadableByOthers_refused() throws Exception {
    CertificateAuthority.loadOrCreate(dir);
    Files.setPosixFilePermissions(dir.resolve(CertificateAuthority.KEY_FILE), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
        .isInstanceOf(WardenSecurityException.class).hasMessageContaining("chmod 600");
  }

  @Test
  void loadOrCreate_garbageKey_failsWithHint() throws Exception {
    CertificateAuthority.loadOrCreate(dir);
    Files.writeString(dir.resolve(CertificateAuthority.KEY_FILE), "garbage");
    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir)).hasMessageContaining("delete the directory");
  }

  @Test
  void leaf_signedByCaWithHostInSan() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir);
    X509Certificate leaf = ca.issueLeafCertificate("API.Example.com");
    leaf.verify(ca.certificate().getPublicKey());
    leaf.checkValidity();
    assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo("api.example.com"));
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
  }

  @Test
  void leaf_forIpLiteral_hasIpSan() throws Exception {
    X509Certificate leaf = CertificateAuthority.loadOrCreate(dir).issueLeafCertificate("127.0.0.1");
    assertThat(leaf.getSubjectAlternativeNames()).anySatisfy(san -> {
      assertThat(san.get(0)).isEqualTo(7);
      assertThat(san.get(1)).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void serverContext_cachedPerHost() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir);
    SSLContext a = ca.serverContextFor("a.example");
    assertThat(ca.serverContextFor("A.example")).isSameAs(a);
    assertThat(ca.serverContextFor("b.example")).isNotSameAs(a);
  }
}
