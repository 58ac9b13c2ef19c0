package dev.warden.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void objects_sortKeys_andIntegersAreUniform() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", 1L);
    m.put("a", List.of(1, "x\n\"y\"", true));
    m.put("c", null);
    assertThat(CanonicalJson.write(m)).isEqualTo("{\"a\":[1,\"x\\n\\\"y\\\"\",true],\"b\":1,\"c\":null}");
    assertThat(CanonicalJson.write(Map.of("n", 2))).isEqualTo(CanonicalJson.write(Map.of("n", 2L)));
  }

  @Test
  void controlCharacters_areEscaped() {
    assertThat(CanonicalJson.write("\u0001")).isEqualTo("\"\\u0001\"");
  }

  @Test
  void unsupportedType_isABug() {
    assertThatThrownBy(() -> CanonicalJson.write(new Object())).isInstanceOf(WardenBugException.class);
  }
}
