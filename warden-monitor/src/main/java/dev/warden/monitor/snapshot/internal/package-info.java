/** Implementation details of snapshots, drift and rebuild: not an API, may change without notice. */
package dev.warden.monitor.snapshot.internal;
