/**
 * Fake LLM servers that speak the real OpenAI Chat Completions and Anthropic Messages wire
 * protocols (JSON and SSE streaming, tool calls, errors) over HTTP on 127.0.0.1, for tests.
 */
package dev.warden.testing.llm;
