package dev.warden.egress.internal;

/** A request the proxy refuses to parse or forward; carries the status to answer with. */
public final class ProtocolException extends Exception {
  private final int status;

  public ProtocolException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
