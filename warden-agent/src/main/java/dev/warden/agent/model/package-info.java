/**
 * Language models as the agent loop sees them: {@link dev.warden.agent.model.ModelProvider}, the
 * message and reply values, and {@link dev.warden.agent.model.ModelProviders} to create a provider
 * from a spec string. A model's output is data, never authority: every tool call it asks for goes
 * through the kernel. Values are non-null unless a name ends in {@code OrNull}. Reference: {@code
 * docs/model-providers.md} and {@code docs/scripted-model.md}.
 */
package dev.warden.agent.model;
