/**
 * The transparency log: RFC 9162 Merkle tree, signed tree heads, inclusion and consistency proofs
 * (server side {@link dev.warden.registry.tlog.TransparencyLog}, client side
 * {@link dev.warden.registry.tlog.LogMonitor}).
 */
package dev.warden.registry.tlog;
