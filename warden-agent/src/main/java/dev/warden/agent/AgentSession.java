package dev.warden.agent;

import dev.warden.agent.model.ChatMessage;
import dev.warden.agent.model.ModelProvider;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import java.util.ArrayList;
import java.util.List;

/**
 * One conversation: the kernel's view of it ({@link SessionContext}), the model provider instance
 * serving it (scripted providers keep per-session state), and the history with each message's
 * label.
 */
public final class AgentSession {

  public record LabelledMessage(ChatMessage message, Label label) {}

  private final SessionContext context;
  private final ModelProvider model;
  private final String channel;
  private final List<LabelledMessage> history = new ArrayList<>();

  public AgentSession(SessionContext context, ModelProvider model, String channel) {
    this.context = context;
    this.model = model;
    this.channel = channel;
  }

  public SessionContext context() {
    return context;
  }

  public String id() {
    return context.id();
  }

  public ModelProvider model() {
    return model;
  }

  public String channel() {
    return channel;
  }

  public synchronized List<LabelledMessage> history() {
    return List.copyOf(history);
  }

  synchronized void add(ChatMessage m, Label l) {
    history.add(new LabelledMessage(m, l));
  }

  /** Restores a message loaded from the store (and its label into the context). */
  public synchronized void restore(ChatMessage m, Label l) {
    history.add(new LabelledMessage(m, l));
    context.observe(m.content(), l);
  }
}
