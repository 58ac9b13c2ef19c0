package dev.warden.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
  static final String V = "s3cr3t/value+with=odd&chars";
  final Redactor r = Redactor.of(Map.of("api", Secret.ofUtf8(V)), InsecureSecretAccess.get());

  static byte[] raw() {
    return V.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void clear_redacted() {
    assertThat(r.redact("x " + V + " y")).isEqualTo("x [REDACTED:api] y");
  }

  @Test
  void base64_redacted() {
    String b = Base64.getEncoder().encodeToString(raw());
    assertThat(r.redact("auth " + b)).isEqualTo("auth [REDACTED:api]");
  }

  @Test
  void base64Url_redacted() {
    assertThat(r.redact(Base64.getUrlEncoder().withoutPadding().encodeToString(raw()))).isEqualTo("[REDACTED:api]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"u:", "us:", "use:", "user:"})
  void base64_embeddedAtAnyAlignment_found(String prefix) {
    String basic = Base64.getEncoder().encodeToString((prefix + V).getBytes(StandardCharsets.UTF_8));
    assertThat(r.findIn("Authorization: Basic " + basic))
        .containsExactly(new Redactor.Finding("api", Redactor.Encoding.BASE64));
    assertThat(r.redact(basic)).contains("[REDACTED:api]");
  }

  @Test
  void hex_bothCases_redacted() {
    String h = HexFormat.of().formatHex(raw());
    assertThat(r.redact(h)).isEqualTo("[REDACTED:api]");
    assertThat(r.redact(h.toUpperCase())).isEqualTo("[REDACTED:api]");
  }

  @Test
  void urlEncoded_formsRedacted() {
    String form = URLEncoder.encode(V, StandardCharsets.UTF_8);
    assertThat(r.redact("q=" + form)).isEqualTo("q=[REDACTED:api]");
    assertThat(r.redact("q=" + form.toLowerCase())).isEqualTo("q=[REDACTED:api]");
    StringBuilder all = new StringBuilder();
    for (byte b : raw()) {
      all.append(String.format("%%%02X", b));
    }
    assertThat(r.redact(all.toString())).isEqualTo("[REDACTED:api]");
  }

  @Test
  void firstIn_bytes_findsNonAsciiSecret() {
    Redactor u = Redactor.of(Map.of("pw", Secret.ofUtf8("pässwörd-ünïcode")), InsecureSecretAccess.get());
    assertThat(u.firstIn("x=pässwörd-ünïcode".getBytes(StandardCharsets.UTF_8)))
        .contains(new Redactor.Finding("pw", Redactor.Encoding.CLEAR));
    assertThat(u.firstIn("x=pässwörd-ünïcode")).isPresent();
  }

  @Test
  void unrelatedText_untouched() {
    assertThat(r.redact("nothing to see")).isEqualTo("nothing to see");
    assertThat(r.findIn("nothing to see")).isEmpty();
  }

  @Test
  void shortSecret_onlyClearMatched() {
    Redactor s = Redactor.of(Map.of("pin", Secret.ofUtf8("1234")), InsecureSecretAccess.get());
    assertThat(s.redact("pin 1234 hex 31323334")).isEqualTo("pin [REDACTED:pin] hex 31323334");
  }

  @Test
  void finding_describeNamesEncodingNotValue() {
    String d = new Redactor.Finding("api", Redactor.Encoding.HEX).describe();
    assertThat(d).isEqualTo("hex-encoded value of secret 'api'").doesNotContain(V);
  }

  @Test
  void none_isEmpty() {
    assertThat(Redactor.NONE.isEmpty()).isTrue();
    assertThat(Redactor.NONE.redact(V)).isEqualTo(V);
  }
}
