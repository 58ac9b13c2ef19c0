package dev.warden.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.agent.model.ChatMessage;
import dev.warden.agent.model.ChatRequest;
import dev.warden.agent.model.ChatResponse;
import dev.warden.agent.model.ModelException;
import dev.warden.agent.model.Role;
import dev.warden.agent.model.ToolCall;
import dev.warden.agent.tools.Tool;
import dev.warden.agent.tools.ToolArgumentException;
import dev.warden.agent.tools.ToolRegistry;
import dev.warden.kernel.Action;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.Submission;
import dev.warden.store.SessionStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * The agent loop: model → tool calls → kernel → results → model, until the model answers without
 * calling a tool or a budget runs out.
 *
 * <h2>Design notes</h2>
 * <b>Trust.</b> The loop never acts: each tool call becomes an {@link Action} submitted to the
 * {@link Kernel}. Labels are joined into the session by the kernel as results come back; the loop
 * records each message with its label so a resumed session restores the same taint.
 *
 * <p><b>Approvals.</b> An Ask is waited for up to {@code approvalWait} (zero for one-shot runs);
 * after that the model is told the action is pending and must not retry. The action stays parked
 * and runs if the owner approves later; its outcome is recorded in the audit log and the session.
 *
 * <p><b>Budgets.</b> At most {@code maxSteps} model calls and {@code maxTokens} tokens per turn.
 */
public final class AgentLoop {

  /** Most characters of a tool result shown in an {@link ActionReport}. */
  public static final int REPORT_RESULT_CHARS = 2000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Kernel kernel;
  private final ToolRegistry tools;
  private final SessionStore store;
  private final ContextBuilder context;
  private final int maxSteps;
  private final int maxTokens;
  private final Duration approvalWait;
  private final InstantSource clock;
  private final UnaryOperator<String> redactor;

  public AgentLoop(Kernel kernel, ToolRegistry tools, SessionStore store, ContextBuilder context, int maxSteps, int maxTokens,
      Duration approvalWait, InstantSource clock, UnaryOperator<String> redactor) {
    this.kernel = kernel;
    this.tools = tools;
    this.store = store;
    this.context = context;
    this.maxSteps = maxSteps;
    this.maxTokens = maxTokens;
    this.approvalWait = approvalWait;
    this.clock = clock;
    this.redactor = redactor;
  }

  public ToolRegistry tools() {
    return tools;
  }

  /** Runs one turn for {@code userText}, which entered the session with {@code userLabel}. */
  public TurnResult run(AgentSession session, String userText, Label userLabel, TurnListener listener) {
    session.context().observe(userText, userLabel);
    record(session, ChatMessage.user(userText), userLabel);
    store.upsertSession(session.id(), session.context().principal().qualified(), session.channel(), title(userText),
        session.context().label(), clock.instant());
    List<ActionReport> reports = new ArrayList<>();
    int tokens = 0;
    for (int step = 1; step <= maxSteps; step++) {
      ContextBuilder.SystemPrompt sys = context.build();
      session.context().taint(sys.label());
      List<ChatMessage> messages = new ArrayList<>();
      messages.add(ChatMessage.system(sys.text()));
      session.history().forEach(m -> messages.add(m.message()));
      ChatResponse response;
      try {
        response = session.model().chat(new ChatRequest(messages, tools.specs(), 4096), listener::onTextDelta);
      } catch (ModelException e) {
        String msg = "The model failed: " + e.getMessage();
        record(session, ChatMessage.assistant(msg), Label.trusted("system"));
        listener.onReply(msg);
        return finish(session, msg, reports, step, tokens, "model_error");
      }
      tokens += response.usage().inputTokens() + response.usage().outputTokens();
      Label modelLabel = session.context().label();
      record(session, ChatMessage.assistant(redactor.apply(response.text()), response.toolCalls()), modelLabel);
      if (response.toolCalls().isEmpty()) {
        String reply = redactor.apply(response.text());
        listener.onReply(reply);
        return finish(session, reply, reports, step, tokens, response.stopReason());
      }
      for (ToolCall call : response.toolCalls()) {
        ActionReport r = runTool(session, call);
        reports.add(r);
        listener.onAction(r);
      }
      if (tokens > maxTokens) {
        String msg = "Stopped: this turn used " + tokens + " tokens, over the budget of " + maxTokens + ".";
        listener.onReply(msg);
        return finish(session, msg, reports, step, tokens, "token_budget");
      }
    }
    String msg = "Stopped after " + maxSteps + " steps (the step budget) without a final answer.";
    record(session, ChatMessage.assistant(msg), Label.trusted("system"));
    listener.onReply(msg);
    return finish(session, msg, reports, maxSteps, tokens, "step_budget");
  }

  private TurnResult finish(AgentSession s, String reply, List<ActionReport> reports, int steps, int tokens, String stop) {
    store.upsertSession(s.id(), s.context().principal().qualified(), s.channel(), "", s.context().label(), clock.instant());
    return new TurnResult(reply, reports, steps, tokens, stop);
  }

  private ActionReport runTool(AgentSession session, ToolCall call) {
    Optional<Tool> tool = tools.get(call.name());
    if (tool.isEmpty()) {
      return toolResult(session, call, "unknown", "unknown-tool", "there is no tool named " + call.name()
          + "; available: " + tools.names(), List.of(), false, null, "error: no tool named " + call.name(), Label.trusted("system"));
    }
    Action action;
    try {
      action = tool.get().toAction(call.arguments());
    } catch (ToolArgumentException e) {
      return toolResult(session, call, "invalid", "invalid-arguments", e.getMessage(), List.of(), false, null,
          "error: " + e.getMessage(), Label.trusted("system"));
    }
    Submission s = kernel.submit(action, session.context());
    if (s instanceof Submission.Pending p) {
      s = await(p);
    }
    List<String> sources = new ArrayList<>(s.decision().sources());
    return switch (s) {
      case Submission.Executed e -> toolResult(session, call, "allow", e.decision().rule(), e.decision().reason(), sources, true,
          null, redactor.apply(e.result().content()), e.result().label());
      case Submission.Denied d -> toolResult(session, call, "deny", d.decision().rule(), d.decision().reason(), sources, false,
          null, "denied: " + d.decision().reason() + " [rule " + d.decision().rule() + "]", Label.trusted("system"));
      case Submission.Pending p -> toolResult(session, call, "ask", p.decision().rule(), p.decision().reason(), sources, false,
          p.approvalId(), "pending approval " + p.approvalId() + ": " + p.decision().reason()
              + ". The owner has been asked; the action runs only if they approve. Do not retry it.", Label.trusted("system"));
      case Submission.Failed f -> toolResult(session, call, "allow", f.decision().rule(), f.decision().reason(), sources, false,
          null, "error: " + f.error(), Label.trusted("system"));
    };
  }

  private Submission await(Submission.Pending p) {
    if (approvalWait.isZero() || approvalWait.isNegative()) {
      return p;
    }
    try {
      return p.resolution().get(approvalWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return p;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return p;
    } catch (ExecutionException e) {
      return new Submission.Failed(p.decision(), String.valueOf(e.getCause()));
    }
  }

  private ActionReport toolResult(AgentSession session, ToolCall call, String decision, String rule, String reason,
      List<String> sources, boolean executed, String approvalId, String content, Label label) {
    record(session, ChatMessage.tool(call.id(), content), label);
    String preview = content.length() > REPORT_RESULT_CHARS ? content.substring(0, REPORT_RESULT_CHARS) + "…" : content;
    return new ActionReport(call.name(), call.arguments(), decision, rule, reason, sources, executed, approvalId, preview);
  }

  private void record(AgentSession session, ChatMessage m, Label l) {
    session.add(m, l);
    String calls = null;
    if (!m.toolCalls().isEmpty()) {
      try {
        calls = JSON.writeValueAsString(m.toolCalls().stream()
            .map(c -> Map.of("id", c.id(), "name", c.name(), "arguments", c.arguments())).toList());
      } catch (JsonProcessingException e) {
        calls = "[]";
      }
    }
    store.appendMessage(session.id(), m.role().name().toLowerCase(), m.content(), calls, m.toolCallIdOrNull(), l, clock.instant());
  }

  /** Rebuilds a session's history from the store (labels included). */
  @SuppressWarnings("unchecked")
  public static void restore(AgentSession session, SessionStore store) {
    for (SessionStore.StoredMessage sm : store.messages(session.id())) {
      Role role = Role.valueOf(sm.role().toUpperCase());
      ChatMessage m;
      if (role == Role.ASSISTANT && sm.toolCallsJsonOrNull() != null) {
        List<ToolCall> calls = new ArrayList<>();
        try {
          for (Map<String, Object> c : (List<Map<String, Object>>) JSON.readValue(sm.toolCallsJsonOrNull(), List.class)) {
            calls.add(new ToolCall((String) c.get("id"), (String) c.get("name"), (Map<String, Object>) c.get("arguments")));
          }
        } catch (JsonProcessingException e) {
          // A corrupt row: keep the text, drop the calls.
        }
        m = ChatMessage.assistant(sm.content(), calls);
      } else if (role == Role.TOOL) {
        m = ChatMessage.tool(sm.toolCallIdOrNull() == null ? "unknown" : sm.toolCallIdOrNull(), sm.content());
      } else {
        m = new ChatMessage(role, sm.content(), List.of(), null);
      }
      session.restore(m, sm.label());
    }
  }

  private static String title(String text) {
    String t = text.strip().replace('\n', ' ');
    return t.length() > 60 ? t.substring(0, 60) + "…" : t;
  }
}
