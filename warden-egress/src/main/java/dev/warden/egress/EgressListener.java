package dev.warden.egress;

/**
 * Receives one {@link EgressRecord} per request, after the request finished or was refused.
 *
 * <p>Contract: called on the connection's thread, so implementations must be fast (queue the
 * record, don't write synchronously to a slow sink), must not throw (exceptions are caught and
 * dropped), and must not call back into the proxy. Every request head the proxy reads produces
 * exactly one record, whether sent, refused or failed.
 */
@FunctionalInterface
public interface EgressListener {
  void onExchange(EgressRecord record);

  /** Ignores every record. */
  EgressListener NONE = r -> {};
}
