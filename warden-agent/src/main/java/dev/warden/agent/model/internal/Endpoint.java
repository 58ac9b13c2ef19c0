package dev.warden.agent.model.internal;

import dev.warden.agent.model.ModelException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A provider base URL, checked: http or https, a host, no user info or fragment. Plain http is
 * accepted only for loopback hosts, so an API key never crosses a network in cleartext.
 */
public record Endpoint(URI uri) {

  /** Parses and checks {@code text}; {@code spec} is named in the error. */
  public static Endpoint parse(String text, String spec) throws ModelException {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ModelException("model spec '" + spec + "': base URL '" + text + "' is not a URL (" + e.getReason()
          + "). Write it like https://host[:port]/path or http://127.0.0.1:11434/v1.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ModelException("model spec '" + spec + "': base URL '" + text
          + "' must start with https:// (or http:// for a loopback host such as 127.0.0.1 or localhost).");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ModelException("model spec '" + spec + "': base URL '" + text + "' has no host.");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ModelException("model spec '" + spec + "': base URL must not contain user info (user:password@);"
          + " API keys come only from the vault (`warden secrets add …`).");
    }
    if (uri.getRawFragment() != null) {
      throw new ModelException("model spec '" + spec + "': base URL '" + text + "' must not have a #fragment.");
    }
    Endpoint e = new Endpoint(uri);
    if (scheme.equals("http") && !e.isLoopback()) {
      throw new ModelException("model spec '" + spec + "': base URL '" + text + "' uses plain http to a host that is"
          + " not loopback; use https, or reach the server through a loopback address (e.g. an SSH tunnel to"
          + " 127.0.0.1), so that prompts and keys are not sent in cleartext.");
    }
    return e;
  }

  /** Whether the host is this machine (localhost, 127.0.0.0/8, ::1), where local servers need no key. */
  public boolean isLoopback() {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    // Only literals are interpreted: resolving a name here could be steered by DNS.
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (java.net.UnknownHostException ex) {
        return false;
      }
    }
    return false;
  }

  /** This base with {@code suffix} appended to its path, dropping any query. */
  public URI resolvePath(String suffix) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path + suffix);
  }

  public String pathWithoutTrailingSlash() {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }

  /** A form of {@code target} safe to show: query values other than api-version are elided. */
  public static String display(URI target) {
    String base = target.getScheme() + "://" + target.getRawAuthority() + (target.getRawPath() == null ? "" : target.getRawPath());
    String q = target.getRawQuery();
    if (q == null) {
      return base;
    }
    StringBuilder sb = new StringBuilder(base).append('?');
    String[] parts = q.split("&");
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      int eq = p.indexOf('=');
      String name = eq < 0 ? p : p.substring(0, eq);
      if (i > 0) {
        sb.append('&');
      }
      sb.append(name);
      if (eq >= 0) {
        sb.append('=').append(name.equals("api-version") ? p.substring(eq + 1) : "…");
      }
    }
    return sb.toString();
  }
}
