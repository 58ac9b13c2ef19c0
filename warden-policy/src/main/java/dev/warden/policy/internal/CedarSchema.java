package dev.warden.policy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Cedar schema Warden's policies are validated against, generated from one Java table so that
 * the schema and the request mapper ({@link RequestMapper}) cannot drift apart.
 *
 * <p>Every action kind gets its own context record: the label and principal attributes shared by
 * all kinds, plus the fields and facts that make sense for that kind (an egress has a
 * {@code method}, a file write has a {@code path}). Every attribute is required, so a policy that
 * reads {@code context.method} without constraining the action to {@code egress} fails validation
 * at load time instead of failing (and being skipped) at decision time.
 */
public final class CedarSchema {
  private CedarSchema() {}

  /** The Cedar namespace of every Warden entity type and action. */
  public static final String NAMESPACE = "Warden";

  /** Cedar attribute types used in contexts. */
  public enum Type {
    STRING("String"),
    BOOL("Bool"),
    LONG("Long"),
    STRING_SET("Set<String>");

    final String cedar;

    Type(String cedar) {
      this.cedar = cedar;
    }
  }

  public record Field(String name, Type type) {}

  /** One action kind: its Cedar resource entity type and the context fields beyond the common ones. */
  public record Kind(String name, String resourceType, List<Field> fields) {}

  /** Principal entity types, one per {@link dev.warden.kernel.Principal.Kind}, in that order. */
  public static final List<String> PRINCIPAL_TYPES =
      List.of("Owner", "Operator", "Contact", "Stranger", "Cron", "Skill", "System");

  /** Context attributes present for every action kind. */
  public static final List<Field> COMMON_FIELDS = List.of(
      new Field("integrity", Type.STRING),
      new Field("tainted", Type.BOOL),
      new Field("confidentiality", Type.STRING),
      new Field("sources", Type.STRING_SET),
      new Field("capabilities", Type.STRING_SET),
      new Field("principal_kind", Type.STRING),
      new Field("principal_id", Type.STRING),
      new Field("resource", Type.STRING),
      new Field("quarantined", Type.BOOL));

  private static final List<Field> FILE_FIELDS = List.of(
      new Field("path", Type.STRING),
      new Field("inside_workspace", Type.BOOL),
      new Field("instruction_file", Type.BOOL),
      new Field("memory_file", Type.BOOL));

  /** Every action kind Warden knows, keyed by {@code Action.kind()}. */
  public static final Map<String, Kind> KINDS = kinds(
      new Kind("exec", "Command", List.of(
          new Field("command", Type.STRING),
          new Field("command_line", Type.STRING),
          new Field("working_directory", Type.STRING),
          new Field("network", Type.BOOL),
          new Field("read_only_command", Type.BOOL))),
      new Kind("file_read", "Path", FILE_FIELDS),
      new Kind("file_list", "Path", FILE_FIELDS),
      new Kind("file_write", "Path", FILE_FIELDS),
      new Kind("egress", "Host", List.of(
          new Field("method", Type.STRING),
          new Field("url", Type.STRING),
          new Field("scheme", Type.STRING),
          new Field("host", Type.STRING),
          new Field("port", Type.LONG),
          new Field("path", Type.STRING),
          new Field("has_body", Type.BOOL),
          new Field("via", Type.STRING),
          new Field("destination", Type.STRING),
          new Field("destination_allowed_by_operator", Type.BOOL),
          new Field("url_in_session", Type.BOOL))),
      new Kind("memory_read", "Memory", List.of()),
      new Kind("memory_write", "Memory", List.of(new Field("path", Type.STRING))),
      new Kind("message_send", "Recipient", List.of(
          new Field("channel", Type.STRING),
          new Field("recipient", Type.STRING),
          new Field("recipient_is_owner", Type.BOOL))),
      new Kind("skill_install", "SkillPackage", List.of(
          new Field("operation", Type.STRING),
          new Field("skill", Type.STRING),
          new Field("source", Type.STRING),
          new Field("version", Type.STRING))),
      new Kind("skill_run", "SkillPackage", List.of(
          new Field("skill", Type.STRING),
          new Field("script", Type.STRING))),
      new Kind("tool_call", "Tool", List.of(
          new Field("provider", Type.STRING),
          new Field("tool", Type.STRING))),
      new Kind("cron_create", "CronJob", List.of(
          new Field("name", Type.STRING),
          new Field("schedule", Type.STRING))),
      new Kind("cron_delete", "CronJob", List.of(new Field("name", Type.STRING))),
      new Kind("cron_list", "CronJob", List.of()),
      new Kind("config_change", "ConfigKey", List.of(new Field("key", Type.STRING))),
      new Kind("credential_use", "Credential", List.of(
          new Field("credential", Type.STRING),
          new Field("host", Type.STRING),
          new Field("scope", Type.STRING),
          new Field("credential_bound_to_host", Type.BOOL))),
      new Kind("approval_answer", "Approval", List.of(
          new Field("granted", Type.BOOL),
          new Field("grant_scope", Type.STRING))));

  /** Every context attribute name of any kind (used to check reason placeholders at load). */
  public static final Set<String> ALL_FIELD_NAMES = allFieldNames();

  private static Map<String, Kind> kinds(Kind... kinds) {
    Map<String, Kind> m = new LinkedHashMap<>();
    for (Kind k : kinds) {
      if (m.put(k.name(), k) != null) {
        throw new IllegalStateException("duplicate kind " + k.name());
      }
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Set<String> allFieldNames() {
    TreeSet<String> s = new TreeSet<>();
    COMMON_FIELDS.forEach(f -> s.add(f.name()));
    KINDS.values().forEach(k -> k.fields().forEach(f -> s.add(f.name())));
    return java.util.Collections.unmodifiableSet(s);
  }

  /** The fields of one kind's context, common ones first. */
  public static List<Field> contextFields(Kind kind) {
    List<Field> all = new ArrayList<>(COMMON_FIELDS);
    all.addAll(kind.fields());
    return all;
  }

  /** The schema in Cedar's human-readable format. */
  public static String cedarText() {
    StringBuilder b = new StringBuilder();
    b.append("namespace ").append(NAMESPACE).append(" {\n");
    for (String p : PRINCIPAL_TYPES) {
      b.append("  entity ").append(p).append(";\n");
    }
    new TreeSet<>(KINDS.values().stream().map(Kind::resourceType).toList())
        .forEach(r -> b.append("  entity ").append(r).append(";\n"));
    String principals = String.join(", ", PRINCIPAL_TYPES);
    for (Kind k : KINDS.values()) {
      b.append("  action \"").append(k.name()).append("\" appliesTo {\n");
      b.append("    principal: [").append(principals).append("],\n");
      b.append("    resource: [").append(k.resourceType()).append("],\n");
      b.append("    context: {\n");
      List<Field> fields = contextFields(k);
      for (int i = 0; i < fields.size(); i++) {
        Field f = fields.get(i);
        b.append("      \"").append(f.name()).append("\": ").append(f.type().cedar);
        b.append(i + 1 < fields.size() ? ",\n" : "\n");
      }
      b.append("    }\n  };\n");
    }
    b.append("}\n");
    return b.toString();
  }
}
