package dev.warden.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.vault.InsecureSecretAccess;
import dev.warden.vault.Redactor;
import dev.warden.vault.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeakScannerTest {
  final LeakScanner scanner = new LeakScanner(
      () -> Redactor.of(Map.of("db", Secret.ofUtf8("correct-horse-battery")), InsecureSecretAccess.get()));

  @ParameterizedTest
  @CsvSource({
      "AKIAIOSFODNN7EXAMPLE, aws_access_key",
      "ASIAIOSFODNN7EXAMPLE, aws_access_key",
      "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789, github_token",
      "github_pat_11ABCDEFG0123456789_abcdefghij, github_fine_grained_token",
      "xoxb-123456789012-abcdefghijkl, slack_token",
      "xoxp-123456789012-abcdefghijkl, slack_token",
      "-----BEGIN OPENSSH PRIVATE KEY-----, private_key",
      "-----BEGIN PRIVATE KEY-----, private_key",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N, jwt",
      "sk-ant-api03-abcdefghijklmnopqrstuvwxyz, anthropic_key",
      "sk-proj-abcdefghijklmnopqrstuvwxyz0123, openai_key",
      "sk-abcdefghijklmnopqrstuvwxyz0123456789, openai_key",
      "AIzaSyA-abcdefghijklmnopqrstuvwxyz012345, google_api_key",
  })
  void tokenShapes_foundInClearUrlAndBase64(String token, String kind) {
    assertThat(scanner.scan("x " + token + " y")).hasValueSatisfying(l -> assertThat(l.kind()).isEqualTo(kind));
    assertThat(scanner.scan("q=" + URLEncoder.encode(token, StandardCharsets.UTF_8).replace("-", "%2D")))
        .hasValueSatisfying(l -> assertThat(l.kind()).isEqualTo(kind));
    assertThat(scanner.scan(("d=" + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8)))
        .hasValueSatisfying(l -> assertThat(l.description()).startsWith("base64-encoded"));
  }

  @Test
  void vaultSecret_foundWithName() {
    assertThat(scanner.scan("pw=correct-horse-battery")).hasValueSatisfying(l -> {
      assertThat(l.kind()).isEqualTo("vault-secret");
      assertThat(l.description()).contains("'db'").doesNotContain("correct-horse");
    });
  }

  @Test
  void ordinaryText_clean() {
    assertThat(scanner.scan("GET /search?q=warden+security HTTP/1.1")).isEmpty();
    assertThat(scanner.scan("Accept: text/html, sk-short")).isEmpty();
    assertThat(scanner.scan("{\"skill\":\"task-manager\",\"ask\":\"AKIA\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(scanner.scan(Base64.getEncoder().encodeToString("just some harmless text here".getBytes(StandardCharsets.UTF_8)))).isEmpty();
  }

  @Test
  void placeholder_isNotALeak() {
    assertThat(scanner.scan("Authorization: Bearer wdn-cred:github")).isEmpty();
  }
}
