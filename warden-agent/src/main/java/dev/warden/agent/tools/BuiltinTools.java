package dev.warden.agent.tools;

import dev.warden.agent.model.ToolSpec;
import dev.warden.agent.exec.Workspace;
import dev.warden.kernel.Action;
import dev.warden.kernel.WardenSecurityException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Warden's built-in tools. Each builds one kind of kernel action; none acts by itself. */
public final class BuiltinTools {
  private BuiltinTools() {}

  public static List<Tool> all(Workspace workspace) {
    return List.of(
        tool("read_file", "Read a text file in the workspace.", schema(req("path", "Path relative to the workspace")),
            a -> new Action.FileRead(a.string("path"))),
        tool("write_file", "Create or replace a text file in the workspace.",
            schema(req("path", "Path relative to the workspace"), req("content", "The full new content")),
            a -> new Action.FileWrite(a.string("path"), a.string("content"))),
        tool("edit_file", "Replace one exact occurrence of old_text with new_text in a workspace file.",
            schema(req("path", "Path relative to the workspace"), req("old_text", "Exact text to replace"),
                req("new_text", "Replacement text")),
            a -> edit(workspace, a)),
        tool("list_files", "List a directory of the workspace.", schema(opt("path", "Directory, default '.'")),
            a -> new Action.FileList(a.string("path", "."))),
        tool("web_fetch", "Fetch a web page (http/https GET) and return its text.", schema(req("url", "The URL")),
            a -> new Action.Egress("GET", url(a.string("url"), "web_fetch"), Map.of(), null, "web_fetch")),
        tool("http_request", "Send an HTTP request (method, url, headers, body) and return the response.",
            schemaWith(Map.of("method", prop("string", "GET, POST, PUT, PATCH, DELETE…"), "url", prop("string", "The URL"),
                "headers", Map.of("type", "object", "description", "Request headers"), "body", prop("string", "Request body")),
                List.of("method", "url")),
            a -> new Action.Egress(a.string("method"), url(a.string("url"), "http_request"), a.stringMap("headers"),
                a.string("body", null), "http_request")),
        tool("memory_search", "Search the agent's memory.", schema(req("query", "What to look for")),
            a -> new Action.MemoryRead(a.string("query"))),
        tool("memory_write", "Remember something: appended to MEMORY.md (long-term) or today's daily memory file.",
            schema(req("text", "What to remember"), opt("file", "MEMORY.md (default) or 'daily'")),
            a -> new Action.MemoryWrite(memoryFile(a.string("file", "MEMORY.md")), a.string("text"))),
        tool("cron_create", "Schedule a job: at each time, the prompt runs as a new agent turn.",
            schema(req("name", "Job name"), req("schedule", "'every 10m', 'daily 09:00' or a 5-field cron expression"),
                req("prompt", "What the agent should do")),
            a -> new Action.CronCreate(a.string("name"), a.string("schedule"), a.string("prompt"))),
        tool("cron_list", "List scheduled jobs.", schema(), a -> new Action.CronList()),
        tool("cron_delete", "Delete a scheduled job.", schema(req("name", "Job name")),
            a -> new Action.CronDelete(a.string("name"))),
        tool("send_message", "Send a message to someone ('owner' for the user you work for).",
            schema(req("to", "Recipient: 'owner' or a contact id"), req("text", "The message"),
                opt("channel", "Channel: chat (default), telegram, slack, email…")),
            a -> new Action.MessageSend(a.string("channel", "chat"), a.string("to"), a.string("text"))),
        tool("exec", "Run a command in the sandbox (no network unless granted). Give argv as a list.",
            schemaWith(Map.of("argv", Map.of("type", "array", "items", Map.of("type", "string"), "description", "Program and arguments"),
                "network", prop("boolean", "Needs network through the egress proxy")), List.of("argv")),
            a -> {
              List<String> argv = a.stringList("argv");
              if (argv.isEmpty()) {
                throw new ToolArgumentException("exec: argv must name at least the program");
              }
              return new Action.Exec(argv, ".", Boolean.TRUE.equals(a.raw().get("network")));
            }),
        tool("install_skill", "Install a skill from a registry or path.",
            schema(req("name", "Skill name (slug)"), opt("source", "Registry URL or path; default the configured registry"),
                opt("version", "Exact version")),
            a -> new Action.SkillInstall("install", a.string("name"), a.string("source", "registry"), a.string("version", null))),
        tool("run_skill", "Run one of an installed skill's scripts in the sandbox with the skill's permissions.",
            schemaWith(Map.of("skill", prop("string", "Skill name"), "script", prop("string", "Script path inside the skill"),
                "args", Map.of("type", "array", "items", Map.of("type", "string"))), List.of("skill", "script")),
            a -> new Action.SkillRun(a.string("skill"), a.string("script"), a.stringList("args"))),
        tool("read_skill", "Read an offered skill's instructions (its SKILL.md).", schema(req("name", "Skill name")),
            a -> new Action.ToolCall("skills", "read", Map.of("name", a.string("name")))));
  }

  @FunctionalInterface
  private interface Builder {
    Action build(ToolArgs args) throws ToolArgumentException;
  }

  private static Tool tool(String name, String description, Map<String, Object> schema, Builder b) {
    ToolSpec spec = new ToolSpec(name, description, schema);
    return new Tool() {
      @Override
      public ToolSpec spec() {
        return spec;
      }

      @Override
      public Action toAction(Map<String, Object> arguments) throws ToolArgumentException {
        try {
          return b.build(new ToolArgs(name, arguments));
        } catch (IllegalArgumentException | NullPointerException e) {
          throw new ToolArgumentException(name + ": " + e.getMessage());
        }
      }
    };
  }

  private static String memoryFile(String f) {
    if (f.equalsIgnoreCase("daily")) {
      return Workspace.MEMORY_DIR + "/" + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ".md";
    }
    return f;
  }

  private static Action edit(Workspace ws, ToolArgs a) throws ToolArgumentException {
    String path = a.string("path");
    String oldText = a.string("old_text");
    String newText = a.string("new_text");
    String current;
    try {
      Path p = ws.resolve(path);
      current = Files.readString(p, StandardCharsets.UTF_8);
    } catch (WardenSecurityException e) {
      // Let the kernel see (and deny) the escaping path with its own rule.
      return new Action.FileWrite(path, newText);
    } catch (IOException e) {
      throw new ToolArgumentException("edit_file: cannot read " + path + ": " + e.getMessage());
    }
    int at = current.indexOf(oldText);
    if (oldText.isEmpty() || at < 0) {
      throw new ToolArgumentException("edit_file: old_text not found in " + path);
    }
    if (current.indexOf(oldText, at + 1) >= 0) {
      throw new ToolArgumentException("edit_file: old_text occurs more than once in " + path + "; give more context");
    }
    return new Action.FileWrite(path, current.substring(0, at) + newText + current.substring(at + oldText.length()));
  }

  private static URI url(String s, String tool) throws ToolArgumentException {
    try {
      URI u = new URI(s.strip());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new ToolArgumentException(tool + ": only http and https URLs are supported, got '" + s + "'");
      }
      if (u.getHost() == null) {
        throw new ToolArgumentException(tool + ": URL has no host: '" + s + "'");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new ToolArgumentException(tool + ": not a valid URL: " + e.getMessage());
    }
  }

  private static Map<String, Object> prop(String type, String description) {
    return Map.of("type", type, "description", description);
  }

  private record P(String name, String description, boolean required) {}

  private static P req(String n, String d) {
    return new P(n, d, true);
  }

  private static P opt(String n, String d) {
    return new P(n, d, false);
  }

  private static Map<String, Object> schema(P... ps) {
    Map<String, Object> props = new LinkedHashMap<>();
    List<String> required = new java.util.ArrayList<>();
    for (P p : ps) {
      props.put(p.name(), prop("string", p.description()));
      if (p.required()) {
        required.add(p.name());
      }
    }
    return schemaWith(props, required);
  }

  private static Map<String, Object> schemaWith(Map<String, Object> props, List<String> required) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "object");
    s.put("properties", props);
    s.put("required", required);
    return s;
  }
}
