package dev.warden.registry.trust;

/**
 * Receives trust events (for the audit log, the dashboard, the CLI's stderr). Contract: called
 * synchronously while the store holds its lock, after the change is on disk; must be fast, must
 * not throw, and must not call back into the store.
 */
@FunctionalInterface
public interface TrustEventListener {
  TrustEventListener NONE = event -> {};

  void onEvent(TrustEvent event);
}
