/** The owner's publisher keys: explicit trust, trust-on-first-use pins, key-change refusal, revocation. */
package dev.warden.registry.trust;
