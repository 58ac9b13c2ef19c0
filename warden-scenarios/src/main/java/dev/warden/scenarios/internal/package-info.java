/** The runner's parts: one scenario's execution, the loopback web and collector, templates. */
package dev.warden.scenarios.internal;
