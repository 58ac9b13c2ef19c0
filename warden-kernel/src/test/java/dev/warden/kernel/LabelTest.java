package dev.warden.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LabelTest {
  @Test
  void join_takesLowerIntegrityHigherConfidentialityUnionOfSources() {
    Label l = Label.owner().join(Label.untrusted("web:example.org"));
    assertThat(l.integrity()).isEqualTo(Label.Integrity.UNTRUSTED);
    assertThat(l.confidentiality()).isEqualTo(Label.Confidentiality.PRIVATE);
    assertThat(l.sources()).containsExactly("owner", "web:example.org");
    assertThat(l.untrustedSources()).containsExactly("web:example.org");
  }

  @Test
  void join_withBottom_isIdentity() {
    assertThat(Label.bottom().join(Label.owner())).isEqualTo(Label.owner());
  }

  @Test
  void join_isCommutativeAndIdempotent() {
    Label a = Label.untrusted("mail:x");
    Label b = Label.trusted("operator").withConfidentiality(Label.Confidentiality.SECRET);
    assertThat(a.join(b)).isEqualTo(b.join(a));
    assertThat(a.join(a)).isEqualTo(a);
  }

  @Test
  void blankSource_fails() {
    TreeSet<String> s = new TreeSet<>();
    s.add(" ");
    assertThatThrownBy(() -> new Label(Label.Integrity.TRUSTED, Label.Confidentiality.PUBLIC, s))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manySources_areBounded() {
    Label l = Label.bottom();
    for (int i = 0; i < 200; i++) {
      l = l.join(Label.untrusted("web:h" + i));
    }
    assertThat(l.sources()).hasSizeLessThanOrEqualTo(Label.MAX_SOURCES);
  }
}
