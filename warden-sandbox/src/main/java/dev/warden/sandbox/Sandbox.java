package dev.warden.sandbox;

import dev.warden.kernel.WardenSecurityException;

/**
 * Runs one command in isolation and reports how it ended.
 *
 * <p>Guarantees (for the confining implementations; see {@link #describe()}): the command sees
 * only what {@link SandboxSpec} grants it (its workspace, read-only system files, the declared
 * read-only binds, the allowlisted environment, and the egress proxy when {@link
 * NetworkAccess.Proxy} is given), and it ends within {@link Limits#wallTime()} whatever it does.
 * A limit that is hit is a {@link SandboxResult}, not an exception: the exception is for a
 * sandbox that could not be set up, in which case the command did not run.
 *
 * <p>Implementations are safe to call from many threads at once.
 */
public interface Sandbox {

  /**
   * Runs {@code spec} to completion or until a limit stops it.
   *
   * @throws WardenSecurityException if the sandbox could not be built for this spec (the command
   *     has not run); the message says what failed and how to fix it
   */
  SandboxResult run(SandboxSpec spec) throws WardenSecurityException;

  /**
   * A one-line description of the protection in force, for the gateway's status and the audit
   * log, e.g. {@code "bubblewrap 0.8.0 (namespaces, seccomp, landlock net ABI 7, rlimits)"}.
   */
  String describe();
}
