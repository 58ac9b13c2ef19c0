package dev.warden.agent.skills;

import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code read_skill} tool, as {@code ToolCall("skills", "read", {name})}: an offered skill's
 * instructions, labelled by its trust. A vetted skill ({@link SkillInventory#vetted}) reads as
 * trusted; any other as {@code untrusted("skill:<name>")}, so reading it taints the session and the
 * high-risk sinks after it need the owner's approval.
 */
public final class SkillReadExecutor {
  /** The tool provider name this executor answers for. */
  public static final String PROVIDER = "skills";
  /** Most characters of a skill's text returned. */
  public static final int MAX_TEXT_CHARS = 40_000;

  private final SkillInventory inventory;

  public SkillReadExecutor(SkillInventory inventory) {
    this.inventory = inventory;
  }

  /** Registers for {@link Action.ToolCall} alone; the runtime routes provider {@value #PROVIDER} here through its ToolCallRouter instead. */
  public void registerWith(Kernel k) {
    k.register(Action.ToolCall.class, this::execute);
  }

  public ActionExecutor.Result execute(Action.ToolCall a, SessionContext s) throws Exception {
    if (!a.provider().equals(PROVIDER) || !a.tool().equals("read")) {
      throw new WardenSecurityException("no tool " + a.provider() + "/" + a.tool() + " is available");
    }
    Object n = a.arguments().get("name");
    if (!(n instanceof String name) || name.isBlank()) {
      throw new WardenSecurityException("read_skill needs a skill name");
    }
    SkillInventory.Entry e = inventory.find(name).orElseThrow(() -> new WardenSecurityException(
        "no offered skill is named " + name + "; the system prompt lists the offered skills"));
    String text = "# " + e.skill().name() + "\n" + e.skill().description() + "\n\n" + e.skill().body();
    if (text.length() > MAX_TEXT_CHARS) {
      text = text.substring(0, MAX_TEXT_CHARS) + "\n[truncated]";
    }
    Label label = e.skill().contentLabel(e.vetted());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("skill", name);
    d.put("vetted", e.vetted());
    d.put("tier", e.skill().tier().name().toLowerCase(java.util.Locale.ROOT));
    return new ActionExecutor.Result(text, label, d);
  }
}
