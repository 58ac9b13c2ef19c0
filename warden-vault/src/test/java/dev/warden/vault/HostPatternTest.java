package dev.warden.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPatternTest {
  @Test
  void exact_matchesCaseInsensitiveAndTrailingDot() {
    HostPattern p = HostPattern.of("api.github.com");
    assertThat(p.matches("API.GitHub.com")).isTrue();
    assertThat(p.matches("api.github.com.")).isTrue();
    assertThat(p.matches("api.github.com.evil.net")).isFalse();
    assertThat(p.matches("evilapi.github.com")).isFalse();
  }

  @Test
  void wildcard_matchesSubdomainsNotApex() {
    HostPattern p = HostPattern.of("*.example.com");
    assertThat(p.matches("a.example.com")).isTrue();
    assertThat(p.matches("a.b.example.com")).isTrue();
    assertThat(p.matches("example.com")).isFalse();
    assertThat(p.matches("badexample.com")).isFalse();
  }

  @Test
  void wildcardOverTld_rejected() {
    assertThatThrownBy(() -> HostPattern.of("*.com")).hasMessageContaining("top-level");
  }

  @Test
  void garbage_rejected() {
    assertThatThrownBy(() -> HostPattern.of("http://x.com/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HostPattern.of("a*.com")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipLiteral_matchesExactly() {
    assertThat(HostPattern.of("127.0.0.1").matches("127.0.0.1")).isTrue();
    assertThat(HostPattern.of("::1").matches("[::1]")).isTrue();
  }
}
