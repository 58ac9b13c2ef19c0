package dev.warden.agent.exec;

import dev.warden.egress.Destination;
import dev.warden.egress.DestinationDeniedException;
import dev.warden.egress.DestinationGuard;
import dev.warden.egress.GuardedHttpClient;
import dev.warden.egress.LeakScanner;
import dev.warden.kernel.Action;
import dev.warden.kernel.Decision;
import dev.warden.vault.InsecureSecretAccess;
import dev.warden.vault.Injection;
import dev.warden.vault.Redactor;
import dev.warden.vault.Vault;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.kernel.SessionContext;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * web_fetch and http_request. Connects only to the address the normaliser checked and pinned;
 * each redirect hop is checked by the same destination guard before it is followed. The result
 * is untrusted, labelled with the host it came from.
 */
public final class WebExecutor {

  /** Most redirects followed for one request. */
  public static final int MAX_REDIRECTS = 5;
  /** Largest response body read; the rest is cut and the result says so. */
  public static final int MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
  /** Most characters of page text handed to the model. */
  public static final int MAX_TEXT_CHARS = 100_000;

  private final GuardedHttpClient http;
  private final DestinationGuard guard;
  private final Vault vaultOrNull;
  private final Kernel kernelOrNull;
  private final LeakScanner leaks;

  public WebExecutor(GuardedHttpClient http, DestinationGuard guard) {
    this(http, guard, null, null);
  }

  /**
   * With a vault: {@code wdn-cred:NAME} placeholders in the request are replaced by the real value
   * only toward the credential's bound host, after the kernel allowed that credential use for the
   * session (a tainted session asks); a placeholder toward any other host blocks the request. The
   * outbound request (before injection) is leak-scanned for vault values in any encoding and for
   * well-known token shapes.
   */
  public WebExecutor(GuardedHttpClient http, DestinationGuard guard, Vault vaultOrNull, Kernel kernelOrNull) {
    this.http = http;
    this.guard = guard;
    this.vaultOrNull = vaultOrNull;
    this.kernelOrNull = kernelOrNull;
    this.leaks = new LeakScanner(() -> vaultOrNull == null ? Redactor.NONE : vaultOrNull.redactor());
  }

  /** Replaces placeholders for {@code host}, or explains why the request must not leave. */
  private String inject(String text, String host, SessionContext s, java.util.Set<String> used) throws Exception {
    if (text == null || vaultOrNull == null || !text.contains(Vault.PLACEHOLDER_PREFIX)) {
      return text;
    }
    java.util.regex.Matcher m = Vault.PLACEHOLDER_PATTERN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      if (kernelOrNull != null) {
        Decision d = kernelOrNull.authorize(new Action.CredentialUse(name, host, null), s);
        if (!(d instanceof Decision.Allow)) {
          throw new IllegalStateException("blocked: credential " + name + " toward " + host + ": " + d.reason() + " [rule " + d.rule() + "]");
        }
      }
      Injection inj = vaultOrNull.resolveForInjection(name, host);
      if (inj instanceof Injection.Refused r) {
        throw new IllegalStateException("blocked: " + r.reason());
      }
      used.add(name);
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
          ((Injection.Granted) inj).value().utf8(InsecureSecretAccess.get())));
    }
    m.appendTail(out);
    return out.toString();
  }

  public void registerWith(Kernel kernel) {
    kernel.register(Action.Egress.class, this::execute);
  }

  ActionExecutor.Result execute(Action.Egress a, SessionContext s) throws Exception {
    String outbound = a.url() + "\n" + a.headers() + "\n" + (a.bodyOrNull() == null ? "" : a.bodyOrNull());
    java.util.Optional<LeakScanner.Leak> leak = leaks.scan(outbound);
    if (leak.isPresent()) {
      throw new IllegalStateException("blocked: the request carries " + leak.get().description()
          + "; secrets leave only as wdn-cred: placeholders toward their bound hosts");
    }
    java.util.Set<String> used = new java.util.TreeSet<>();
    URI url = URI.create(inject(a.url().toString(), a.host(), s, used));
    Destination dest;
    if (a.pinnedAddressOrNull() != null) {
      // An IP literal the normaliser classified and the policy allowed: parsed, never looked up.
      InetAddress pinned = InetAddress.ofLiteral(a.pinnedAddressOrNull());
      dest = new Destination(a.host(), a.port(), pinned, DestinationGuard.classify(pinned), true);
    } else {
      // A name: resolved once, now that the kernel has allowed the request, and connected to at
      // exactly the checked address (so a rebinding answer has no effect).
      try {
        dest = guard.check(url);
      } catch (DestinationDeniedException e) {
        throw new IllegalStateException("destination refused: " + e.getMessage());
      }
    }
    String method = a.method();
    String injectedBody = inject(a.bodyOrNull(), a.host(), s, used);
    byte[] body = injectedBody == null ? null : injectedBody.getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : a.headers().entrySet()) {
      headers.put(h.getKey(), inject(h.getValue(), a.host(), s, used));
    }
    StringBuilder hops = new StringBuilder();
    GuardedHttpClient.Response r = null;
    for (int i = 0; i <= MAX_REDIRECTS; i++) {
      r = http.send(method, url, dest, headers, body == null ? new byte[0] : body, MAX_RESPONSE_BYTES);
      String loc = r.headerOrNull("location");
      if (r.status() / 100 != 3 || loc == null) {
        break;
      }
      if (i == MAX_REDIRECTS) {
        throw new IllegalStateException("more than " + MAX_REDIRECTS + " redirects from " + a.url());
      }
      URI next = url.resolve(loc);
      Destination d;
      try {
        d = guard.check(next);
      } catch (DestinationDeniedException e) {
        throw new IllegalStateException("redirect from " + url + " to " + next + " refused: " + e.getMessage());
      }
      hops.append(url).append(" -> ").append(next).append('\n');
      if (!next.getHost().equalsIgnoreCase(url.getHost())) {
        if (!used.isEmpty()) {
          throw new IllegalStateException("blocked: " + url.getHost() + " redirected to " + next.getHost()
              + ", which would carry credential " + used + " to a host it is not bound to");
        }
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("authorization") || h.equalsIgnoreCase("cookie"));
      }
      url = next;
      dest = d;
      if (r.status() != 307 && r.status() != 308) {
        method = "GET";
        body = null;
      }
    }
    String ctype = r.headerOrNull("content-type") == null ? "" : r.headerOrNull("content-type");
    String text = new String(r.body(), StandardCharsets.UTF_8);
    if (ctype.contains("html")) {
      text = HtmlText.extract(text);
    }
    if (text.length() > MAX_TEXT_CHARS) {
      text = text.substring(0, MAX_TEXT_CHARS) + "\n[truncated]";
    }
    String content = "HTTP " + r.status() + " from " + url + (r.truncated() ? " (body truncated)" : "") + "\n\n" + text;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("status", r.status());
    details.put("bytes_in", r.body().length);
    details.put("bytes_out", body == null ? 0 : body.length);
    if (!used.isEmpty()) {
      details.put("credentials", java.util.List.copyOf(used));
    }
    if (!hops.isEmpty()) {
      details.put("redirects", hops.toString().strip());
    }
    return new ActionExecutor.Result(content, Label.untrusted("web:" + url.getHost().toLowerCase()), details);
  }
}
