/** The registry client: every answer is verified against the trust store and the transparency log. */
package dev.warden.registry.client;
