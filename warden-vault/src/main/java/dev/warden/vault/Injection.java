package dev.warden.vault;

import java.util.Objects;

/** The vault's answer when the egress proxy asks to inject a credential toward a host. */
public sealed interface Injection {

  String name();

  /** The credential is bound to the host and active: {@code value} may be written into the request. */
  record Granted(String name, Secret value) implements Injection {
    public Granted {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Injection refused; {@code reason} is safe to show (it never contains the value). */
  record Refused(String name, Why why, String reason) implements Injection {
    public Refused {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(why, "why");
      Objects.requireNonNull(reason, "reason");
    }
  }

  enum Why {
    /** No secret of that name. */
    UNKNOWN,
    /** The secret is suspended (by the operator or by quarantine). */
    SUSPENDED,
    /** The destination is outside the secret's host bindings: a possible exfiltration attempt. */
    HOST_NOT_BOUND
  }
}
