/** {@code warden drift}: live state against warden.yaml, skills.lock, the loaded policies and the last snapshot. */
package dev.warden.monitor.drift;
