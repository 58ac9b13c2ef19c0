package dev.warden.registry.pkg;

import dev.warden.kernel.WardenSecurityException;

/** The install policy refused a step; {@link #rule()} names the rule. */
public final class InstallRefusedException extends WardenSecurityException {
  private final String rule;

  public InstallRefusedException(InstallDecision.Refused refused) {
    super(refused.reason() + " [rule " + refused.rule() + "]");
    this.rule = refused.rule();
  }

  public InstallRefusedException(String rule, String message) {
    super(message + " [rule " + rule + "]");
    this.rule = rule;
  }

  public String rule() {
    return rule;
  }
}
