package dev.warden.kernel;

import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The kernel's verdict on one action. Every verdict names the rule that produced it and, when a
 * label caused it, the label sources responsible, so it can always be explained to a person.
 */
public sealed interface Decision {

  /** The policy id (e.g. {@code ask-tainted-memory-write}) or grant id that decided. */
  String rule();

  /** One sentence for people. */
  String reason();

  /** The label sources that caused this verdict (empty when the label played no part). */
  SortedSet<String> sources();

  /** {@code allow}, {@code deny} or {@code ask}. */
  default String verdict() {
    return switch (this) {
      case Allow a -> "allow";
      case Deny d -> "deny";
      case Ask a -> "ask";
    };
  }

  record Allow(String rule, String reason, SortedSet<String> sources) implements Decision {
    public Allow {
      rule = checkRule(rule);
      Objects.requireNonNull(reason, "reason");
      sources = copy(sources);
    }

    public Allow(String rule, String reason) {
      this(rule, reason, new TreeSet<>());
    }
  }

  record Deny(String rule, String reason, SortedSet<String> sources) implements Decision {
    public Deny {
      rule = checkRule(rule);
      Objects.requireNonNull(reason, "reason");
      sources = copy(sources);
    }

    public Deny(String rule, String reason) {
      this(rule, reason, new TreeSet<>());
    }
  }

  /** Park the action until the owner answers; {@code grantScopes} are the answers offered. */
  record Ask(String rule, String reason, SortedSet<String> sources, List<GrantScope> grantScopes) implements Decision {
    public Ask {
      rule = checkRule(rule);
      Objects.requireNonNull(reason, "reason");
      sources = copy(sources);
      grantScopes = List.copyOf(grantScopes);
    }

    public Ask(String rule, String reason, SortedSet<String> sources) {
      this(rule, reason, sources, List.of(GrantScope.values()));
    }
  }

  private static String checkRule(String rule) {
    Objects.requireNonNull(rule, "rule");
    if (rule.isBlank()) {
      throw new IllegalArgumentException("every decision must name its rule");
    }
    return rule;
  }

  private static SortedSet<String> copy(SortedSet<String> s) {
    return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(s == null ? new TreeSet<>() : s));
  }
}
