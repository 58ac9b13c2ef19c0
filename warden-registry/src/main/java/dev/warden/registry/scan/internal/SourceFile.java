package dev.warden.registry.scan.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A text file of a skill split into lines, each tagged with what it is: Markdown prose (read by the
 * model as instructions), code (run by a shell or interpreter, or shown to be run), and the section
 * it belongs to (a Markdown heading section, or the whole file for scripts), which is the unit in
 * which "reads a secret" and "sends it out" are combined.
 */
public final class SourceFile {
  public enum Kind { MARKDOWN, SHELL, PYTHON, JAVASCRIPT, POWERSHELL, OTHER_CODE, DATA }

  /** One logical line: backslash continuations are joined, {@code number} is the first line. */
  public record Line(int number, String text, boolean prose, boolean code, int unit) {}

  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```+|~~~+)\\s*([\\w+#.-]*).*$");

  public final String path;
  public final Kind kind;
  public final List<Line> lines;
  public final String text;

  private SourceFile(String path, Kind kind, List<Line> lines, String text) {
    this.path = path;
    this.kind = kind;
    this.lines = List.copyOf(lines);
    this.text = text;
  }

  public boolean isCode() {
    return kind != Kind.MARKDOWN && kind != Kind.DATA;
  }

  public boolean isMarkdown() {
    return kind == Kind.MARKDOWN;
  }

  public static Kind kindOf(String path, String text) {
    String p = path.toLowerCase(Locale.ROOT);
    String first = text.lines().findFirst().orElse("");
    if (first.startsWith("#!")) {
      if (first.contains("python")) return Kind.PYTHON;
      if (first.contains("node") || first.contains("deno") || first.contains("bun")) return Kind.JAVASCRIPT;
      if (first.contains("pwsh") || first.contains("powershell")) return Kind.POWERSHELL;
      if (first.matches(".*\\b(ba|z|k|da|fi)?sh\\b.*")) return Kind.SHELL;
      return Kind.OTHER_CODE;
    }
    if (p.endsWith(".md") || p.endsWith(".markdown") || p.endsWith(".mdx") || p.endsWith(".txt")) return Kind.MARKDOWN;
    if (p.endsWith(".sh") || p.endsWith(".bash") || p.endsWith(".zsh") || p.endsWith(".command")) return Kind.SHELL;
    if (p.endsWith(".py") || p.endsWith(".pyw")) return Kind.PYTHON;
    if (p.endsWith(".js") || p.endsWith(".mjs") || p.endsWith(".cjs") || p.endsWith(".ts") || p.endsWith(".mts")
        || p.endsWith(".tsx") || p.endsWith(".jsx")) return Kind.JAVASCRIPT;
    if (p.endsWith(".ps1") || p.endsWith(".psm1") || p.endsWith(".bat") || p.endsWith(".cmd")) return Kind.POWERSHELL;
    if (p.endsWith(".rb") || p.endsWith(".pl") || p.endsWith(".php") || p.endsWith(".go") || p.endsWith(".lua")
        || p.endsWith(".applescript") || p.endsWith(".scpt") || p.endsWith(".vbs") || p.endsWith(".java")
        || p.endsWith(".rs") || p.endsWith(".swift") || p.endsWith(".kt") || p.endsWith(".r")) return Kind.OTHER_CODE;
    if (!p.contains(".") || p.endsWith("makefile") || p.endsWith("dockerfile")) return Kind.SHELL;
    return Kind.DATA;
  }

  /**
   * Splits {@code text}. For Markdown, {@code frontmatterEndLine} (1-based, 0 if none) marks lines
   * that are both prose (the description reaches the model) and code (install commands live there).
   */
  public static SourceFile of(String path, String text, int frontmatterEndLine) {
    Kind kind = kindOf(path, text);
    String[] raw = text.split("\r?\n", -1);
    List<Line> out = new ArrayList<>();
    boolean inFence = false;
    String fenceMarker = "";
    int unit = 0;
    StringBuilder pending = null;
    int pendingStart = 0;
    boolean pendingProse = false;
    boolean pendingCode = false;
    for (int i = 0; i < raw.length; i++) {
      String l = raw[i];
      int number = i + 1;
      boolean prose;
      boolean code;
      if (kind == Kind.MARKDOWN) {
        var m = FENCE.matcher(l);
        if (number <= frontmatterEndLine) {
          prose = true;
          code = true;
        } else if (m.matches() && (!inFence || m.group(1).startsWith(fenceMarker.substring(0, 1)))) {
          if (!inFence) {
            inFence = true;
            fenceMarker = m.group(1);
          } else if (l.strip().startsWith(fenceMarker) && l.strip().length() <= fenceMarker.length() + 1) {
            inFence = false;
          }
          continue;
        } else if (inFence) {
          prose = false;
          code = true;
        } else {
          if (l.startsWith("#")) {
            unit++;
          }
          prose = true;
          code = true; // inline commands in prose ("run `curl … | sh`") are commands too
        }
      } else {
        prose = false;
        code = true;
      }
      String stripped = l.stripTrailing();
      boolean continues = stripped.endsWith("\\") && (code && !prose || kind != Kind.MARKDOWN);
      if (pending == null) {
        pending = new StringBuilder();
        pendingStart = number;
        pendingProse = prose;
        pendingCode = code;
      } else {
        pending.append(' ');
      }
      pending.append(continues ? stripped.substring(0, stripped.length() - 1) : l);
      if (!continues || i == raw.length - 1) {
        out.add(new Line(pendingStart, pending.toString(), pendingProse, pendingCode, unit));
        pending = null;
      }
    }
    return new SourceFile(path, kind, out, text);
  }
}
