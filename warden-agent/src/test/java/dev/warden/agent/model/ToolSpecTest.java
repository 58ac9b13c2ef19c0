package dev.warden.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolSpecTest {

  @ParameterizedTest
  @ValueSource(strings = {"read_file", "web-fetch", "A1", "x"})
  void validNames_accepted(String name) {
    assertThat(new ToolSpec(name, "d", Map.of()).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "read file", "read.file", "tool/x", "ü",
      "a_name_that_is_far_too_long_for_either_provider_to_accept_0123456789"})
  void invalidNames_rejected(String name) {
    assertThatThrownBy(() -> new ToolSpec(name, "d", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[A-Za-z0-9_-]");
  }
}
