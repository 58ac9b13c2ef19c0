package dev.warden.agent.mcp.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal MCP server speaking the streamable HTTP transport (JSON responses, no SSE stream) on
 * 127.0.0.1, hand-written on the wire protocol: initialize, tools/list, tools/call ({@code add}).
 */
public final class TestHttpMcpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  /** The Host header of every request, to check it came through the proxy under its name. */
  public final List<String> hosts = new CopyOnWriteArrayList<>();

  public TestHttpMcpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/mcp", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    hosts.add(ex.getRequestHeaders().getFirst("Host"));
    byte[] body = ex.getRequestBody().readAllBytes();
    if (!ex.getRequestMethod().equals("POST")) {
      ex.sendResponseHeaders(405, -1);
      ex.close();
      return;
    }
    JsonNode msg = JSON.readTree(body);
    if (!msg.has("id")) {
      ex.sendResponseHeaders(202, -1);
      ex.close();
      return;
    }
    Object result = switch (msg.path("method").asText()) {
      case "initialize" -> Map.of("protocolVersion", msg.path("params").path("protocolVersion").asText(),
          "capabilities", Map.of("tools", Map.of("listChanged", false)),
          "serverInfo", Map.of("name", "warden-test-http", "version", "1.0"));
      case "tools/list" -> Map.of("tools", List.of(Map.of("name", "add", "description", "Add two integers.",
          "inputSchema", Map.of("type", "object", "properties", Map.of("a", Map.of("type", "integer"), "b", Map.of("type", "integer"))))));
      case "tools/call" -> Map.of("content", List.of(Map.of("type", "text", "text",
          String.valueOf(msg.path("params").path("arguments").path("a").asLong() + msg.path("params").path("arguments").path("b").asLong()))),
          "isError", false);
      default -> null;
    };
    Map<String, Object> reply = result == null
        ? Map.of("jsonrpc", "2.0", "id", JSON.treeToValue(msg.get("id"), Object.class), "error", Map.of("code", -32601, "message", "no such method"))
        : Map.of("jsonrpc", "2.0", "id", JSON.treeToValue(msg.get("id"), Object.class), "result", result);
    byte[] out = JSON.writeValueAsBytes(reply);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
