/**
 * Warden's egress: the {@link dev.warden.egress.DestinationGuard} (SSRF guard with DNS pinning,
 * shared with the agent's web_fetch tool) and the {@link dev.warden.egress.EgressProxy} through
 * which sandboxes reach the network (forward proxy and CONNECT with TLS interception, credential
 * injection, leak scan, one kernel decision per request).
 */
@NullMarked
package dev.warden.egress;

import org.jspecify.annotations.NullMarked;
