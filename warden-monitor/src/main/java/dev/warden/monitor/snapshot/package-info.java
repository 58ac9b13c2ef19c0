/**
 * Signed, content-addressed snapshots of WARDEN_HOME ({@link dev.warden.monitor.snapshot.SnapshotStore}),
 * their diffs with audit attribution, restore, scheduled retention, rebuild of a fresh home
 * ({@link dev.warden.monitor.snapshot.Rebuilder}) and the incident bundle
 * ({@link dev.warden.monitor.snapshot.IncidentExporter}). See docs/snapshots.md.
 */
package dev.warden.monitor.snapshot;
