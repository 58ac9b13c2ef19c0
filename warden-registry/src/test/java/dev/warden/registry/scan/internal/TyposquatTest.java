package dev.warden.registry.scan.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TyposquatTest {
  static final Set<String> KNOWN = Set.of("github", "weather", "clawhub", "spotify-player", "openai-whisper", "gog");

  @Test
  void imitated_oneEdit_found() {
    assertThat(Typosquat.imitatedOrNull("githuh", KNOWN)).isEqualTo("github");
    assertThat(Typosquat.imitatedOrNull("wetaher", KNOWN)).isEqualTo("weather");
  }

  @Test
  void imitated_lookalikes_found() {
    assertThat(Typosquat.imitatedOrNull("c1awhub", KNOWN)).isEqualTo("clawhub");
    assertThat(Typosquat.imitatedOrNull("w\u0435ather", KNOWN)).isEqualTo("weather");
    assertThat(Typosquat.imitatedOrNull("spotify_player", KNOWN)).isEqualTo("spotify-player");
    assertThat(Typosquat.imitatedOrNull("openai-whlsper", KNOWN)).isEqualTo("openai-whisper");
  }

  @Test
  void imitated_sameNameOrUnrelatedOrShort_null() {
    assertThat(Typosquat.imitatedOrNull("github", KNOWN)).isNull();
    assertThat(Typosquat.imitatedOrNull("gitlab", KNOWN)).isNull();
    assertThat(Typosquat.imitatedOrNull("gob", KNOWN)).isNull();
    assertThat(Typosquat.imitatedOrNull("openai-whisper-api", KNOWN)).isNull();
  }

  @Test
  void distance_transposition_countsOne() {
    assertThat(Typosquat.distance("abcd", "abdc")).isEqualTo(1);
    assertThat(Typosquat.distance("", "abc")).isEqualTo(3);
  }
}
