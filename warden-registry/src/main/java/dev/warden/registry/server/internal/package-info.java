/** The registry's SQLite schema and queries. Not API. */
package dev.warden.registry.server.internal;
