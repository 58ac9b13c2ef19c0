package dev.warden.agent.exec;

import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * send_message: delivers through the channel named in the action. Channels register a
 * {@link Delivery}; {@code chat} (the web chat and CLI) is always present and delivers to the
 * owner's notification feed. Outbound delivery can be muted as a whole (quarantine).
 */
public final class MessageRouter {

  @FunctionalInterface
  public interface Delivery {
    /** Delivers {@code text} to {@code recipient}; returns a short receipt. */
    String deliver(String recipient, String text) throws Exception;
  }

  public record Sent(String channel, String recipient, String text, String session) {}

  private final Map<String, Delivery> channels = new ConcurrentHashMap<>();
  private final List<Sent> ownerFeed = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<Sent>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean muted;
  private volatile java.util.function.UnaryOperator<String> redactor = java.util.function.UnaryOperator.identity();

  /** Redaction pass over every outbound message (the vault's redactor): no secret leaves through a channel. */
  public void setRedactor(java.util.function.UnaryOperator<String> r) {
    redactor = r;
  }

  public MessageRouter() {
    channels.put("chat", (to, text) -> "delivered to the owner's chat");
  }

  public void registerChannel(String name, Delivery d) {
    channels.put(name, d);
  }

  public void onSent(java.util.function.Consumer<Sent> l) {
    listeners.add(l);
  }

  /** A notice from Warden itself (an alert) to the owner's chat feed; not an agent action. */
  public void notifyOwner(String channel, String text) {
    Sent sent = new Sent(channel, "owner", redactor.apply(text), "warden");
    ownerFeed.add(sent);
    listeners.forEach(l -> l.accept(sent));
  }

  public List<Sent> ownerFeed() {
    return List.copyOf(ownerFeed);
  }

  public void mute(boolean on) {
    muted = on;
  }

  public boolean muted() {
    return muted;
  }

  public void registerWith(Kernel kernel) {
    kernel.register(Action.MessageSend.class, this::send);
  }

  ActionExecutor.Result send(Action.MessageSend a, SessionContext s) throws Exception {
    if (muted) {
      throw new IllegalStateException("outbound messages are muted (quarantine)");
    }
    Delivery d = channels.get(a.channel());
    if (d == null) {
      throw new IllegalArgumentException("no channel '" + a.channel() + "' is configured (have: " + channels.keySet() + ")");
    }
    String text = redactor.apply(a.text());
    String receipt = d.deliver(a.recipient(), text);
    Sent sent = new Sent(a.channel(), a.recipient(), text, s.id());
    ownerFeed.add(sent);
    listeners.forEach(l -> l.accept(sent));
    return ActionExecutor.Result.of(receipt, Label.trusted("system"));
  }
}
