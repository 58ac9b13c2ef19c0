/** The skill registry HTTP server (Javalin 7, SQLite) and its publish tokens. */
package dev.warden.registry.server;
