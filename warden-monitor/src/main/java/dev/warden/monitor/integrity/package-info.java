/**
 * The integrity watch on WARDEN_HOME: changes not announced by a kernel-side writer reach an
 * {@link dev.warden.monitor.integrity.IntegrityListener}. See docs/snapshots.md ("Integrity watch").
 */
package dev.warden.monitor.integrity;
