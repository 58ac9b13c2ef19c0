package dev.warden.cli;

/** Exit codes shared by all commands (documented in docs/cli.md). */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;
  /** Something failed (bad input, I/O); the message says what. */
  public static final int FAILURE = 1;
  /** Usage error (picocli's own). */
  public static final int USAGE = 2;
  /** The kernel denied the action. */
  public static final int DENIED = 3;
  /** The action waits for the owner's approval. */
  public static final int PENDING = 4;
  /** A verification failed (audit chain, signature, policy test expectation). */
  public static final int VERIFY_FAILED = 5;
  /** A protection could not be set up (fail closed). */
  public static final int UNPROTECTED = 6;
}
