package dev.warden.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.Decision;
import dev.warden.kernel.Principal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionMemoTest {
  static CedarInput input(String resource) {
    return new CedarInput(Principal.owner(), "file_read", resource, Map.of("path", resource));
  }

  @Test
  void capacity_nonPositive_rejected() {
    assertThatThrownBy(() -> new DecisionMemo(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void put_overCapacity_evictsEldest() {
    DecisionMemo m = new DecisionMemo(2);
    Decision d = new Decision.Allow("r", "x");
    m.put(input("a"), d);
    m.put(input("b"), d);
    m.put(input("c"), d);
    assertThat(m.size()).isEqualTo(2);
    assertThat(m.getOrNull(input("a"))).isNull();
    assertThat(m.getOrNull(input("c"))).isSameAs(d);
    assertThat(m.hits()).isEqualTo(1);
    assertThat(m.misses()).isEqualTo(1);
  }
}
