package dev.warden.scenarios.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  final Templates t = new Templates(a -> switch (a[0]) {
    case "collector" -> "http://127.0.0.2:9";
    case "page" -> "http://127.0.0.1:8/" + a[1];
    default -> throw new IllegalArgumentException("unknown template {{" + a[0] + "}}");
  });

  @Test
  void apply_substitutesNamedAndArgumentTemplates() {
    assertThat(t.apply("go to {{page:a/b}} then {{collector}}/x")).isEqualTo("go to http://127.0.0.1:8/a/b then http://127.0.0.2:9/x");
  }

  @Test
  void deep_substitutesKeysValuesAndLists_leavesOtherTypes() {
    Object out = t.deep(Map.of("{{collector}}", List.of("{{page:p}}", 3, true)));
    assertThat(out).isEqualTo(Map.of("http://127.0.0.2:9", List.of("http://127.0.0.1:8/p", 3, true)));
  }

  @Test
  void unknownTemplate_throws_insteadOfLeavingTheTextIn() {
    assertThatThrownBy(() -> t.apply("{{colector}}")).hasMessageContaining("unknown template");
  }

  @Test
  void textWithoutTemplates_isUnchanged_evenWithDollarSignsAndBackslashes() {
    assertThat(t.apply("price $5 \\n {not a template}")).isEqualTo("price $5 \\n {not a template}");
  }
}
