/** {@code warden scan-host}: agent runtimes on a host and their security posture. See docs/host-scan.md. */
package dev.warden.monitor.hostscan;
