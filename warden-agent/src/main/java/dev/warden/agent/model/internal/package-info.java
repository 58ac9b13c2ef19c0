/**
 * Wire protocols (OpenAI Chat Completions, Anthropic Messages), the scripted model, SSE parsing and
 * the bounds on everything read from the network ({@link dev.warden.agent.model.internal.Limits}).
 * Not an API: other modules use {@code dev.warden.agent.model}.
 */
package dev.warden.agent.model.internal;
