package dev.warden.kernel;

import java.util.Objects;
import java.util.Set;

/**
 * A conversation's security state as the kernel sees it: who it is for, the capabilities in force,
 * the context label (the join of everything that has entered the model's window) and a bounded
 * ledger of the content seen, used to tell "follow a link the page contains" from "invent a URL".
 *
 * <p>Concurrency: thread-safe; the label only ever rises.
 */
public final class SessionContext {

  /** How much seen content is kept for the URL-in-session check; older content is dropped. */
  public static final int MAX_LEDGER_CHARS = 4 * 1024 * 1024;

  private final String id;
  private final Principal principal;
  private final Set<String> capabilities;
  private Label label;
  private final StringBuilder ledger = new StringBuilder();

  public SessionContext(String id, Principal principal, Set<String> capabilities, Label initial) {
    this.id = Objects.requireNonNull(id, "id");
    this.principal = Objects.requireNonNull(principal, "principal");
    this.capabilities = Set.copyOf(capabilities);
    this.label = Objects.requireNonNull(initial, "initial");
  }

  /** A fresh session for the owner with an empty (trusted) context. */
  public static SessionContext forOwner(String id) {
    return new SessionContext(id, Principal.owner(), Set.of(), Label.bottom());
  }

  public String id() {
    return id;
  }

  public Principal principal() {
    return principal;
  }

  public Set<String> capabilities() {
    return capabilities;
  }

  public synchronized Label label() {
    return label;
  }

  /** Content entered the context: raise the label and remember the text. */
  public synchronized void observe(String content, Label contentLabel) {
    label = label.join(contentLabel);
    if (content != null && !content.isEmpty()) {
      ledger.append(content).append('\n');
      int excess = ledger.length() - MAX_LEDGER_CHARS;
      if (excess > 0) {
        ledger.delete(0, excess);
      }
    }
  }

  /** Raise the label without content (e.g. a cron job created from a tainted context). */
  public synchronized void taint(Label contentLabel) {
    label = label.join(contentLabel);
  }

  /** Whether {@code text} appeared verbatim in content this session has seen. */
  public synchronized boolean hasSeen(String text) {
    return !text.isEmpty() && ledger.indexOf(text) >= 0;
  }
}
