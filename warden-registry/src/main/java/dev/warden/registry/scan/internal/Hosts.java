package dev.warden.registry.scan.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** URL and host classification. */
public final class Hosts {
  private Hosts() {}

  public static final Pattern URL = Pattern.compile("\\b(https?|ftp)://([A-Za-z0-9.\\-\\[\\]:]+)([^\\s\"'`<>)\\]}]*)");

  /**
   * Services used to receive stolen data or serve payloads in skill malware: request catchers,
   * tunnels, paste sites, anonymous file drops, chat webhooks, out-of-band testing hosts.
   */
  private static final List<String> EXFIL_SUFFIXES = List.of(
      "webhook.site", "requestbin.com", "requestbin.net", "requestcatcher.com", "pipedream.net", "pipedream.com",
      "ngrok.io", "ngrok-free.app", "ngrok.app", "ngrok.dev", "trycloudflare.com", "loca.lt", "localtunnel.me",
      "serveo.net", "interact.sh", "oast.fun", "oast.pro", "oast.live", "oast.site", "oast.online", "oast.me",
      "burpcollaborator.net", "oastify.com", "canarytokens.com", "dnslog.cn", "ceye.io",
      "pastebin.com", "paste.ee", "hastebin.com", "ghostbin.com", "rentry.co", "glot.io", "termbin.com",
      "transfer.sh", "file.io", "0x0.st", "temp.sh", "bashupload.com", "catbox.moe", "anonfiles.com", "gofile.io");
  private static final List<String> SHORTENERS = List.of(
      "bit.ly", "tinyurl.com", "is.gd", "t.co", "goo.gl", "cutt.ly", "rb.gy", "shorturl.at", "v.gd", "ow.ly");
  /** Installers published by the vendor itself over https; piping these is common and reviewed practice. */
  private static final Set<String> VENDOR_INSTALLERS = Set.of(
      "sh.rustup.rs", "astral.sh", "bun.sh", "deno.land", "get.pnpm.io", "install.python-poetry.org",
      "ollama.com", "tailscale.com", "get.docker.com", "starship.rs", "mise.run", "fly.io", "cli.github.com",
      "raw.githubusercontent.com/Homebrew/install/", "raw.githubusercontent.com/nvm-sh/nvm/");

  private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(:\\d+)?$");
  private static final Pattern BARE_IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(?![\\d.])");

  /** Hosts of the URLs in {@code line}, lower-cased, without port. */
  public static List<String> hostsIn(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = URL.matcher(line);
    while (m.find()) {
      String h = m.group(2).toLowerCase(Locale.ROOT);
      int colon = h.lastIndexOf(':');
      if (colon > 0 && !h.endsWith("]")) {
        h = h.substring(0, colon);
      }
      while (h.endsWith(".")) {
        h = h.substring(0, h.length() - 1);
      }
      if (!h.isEmpty()) {
        out.add(h);
      }
    }
    return out;
  }

  public static List<String> urlsIn(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = URL.matcher(line);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** Chat webhooks take anonymous POSTs: a favourite drop for stolen data. */
  public static boolean isExfilUrl(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    return u.matches("https?://(?:\\w+\\.)?discord(?:app)?\\.com/api/webhooks/.*") || u.matches("https?://api\\.telegram\\.org/bot[^/]+/senddocument.*");
  }

  public static boolean isExfilHost(String host) {
    return EXFIL_SUFFIXES.stream().anyMatch(s -> host.equals(s) || host.endsWith("." + s));
  }

  public static boolean isShortener(String host) {
    return SHORTENERS.contains(host);
  }

  /** A literal IPv4 address that is not loopback, private, link-local or unspecified. */
  public static boolean isPublicIp(String host) {
    Matcher m = IPV4.matcher(host);
    if (!m.matches()) {
      return false;
    }
    int a = Integer.parseInt(m.group(1));
    int b = Integer.parseInt(m.group(2));
    if (a > 255 || b > 255 || Integer.parseInt(m.group(3)) > 255 || Integer.parseInt(m.group(4)) > 255) {
      return false;
    }
    return !(a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && b >= 16 && b <= 31)
        || (a == 192 && b == 168) || a >= 224 || (a == 100 && b >= 64 && b <= 127));
  }

  /** A public IPv4 written anywhere in the line (nc 1.2.3.4 4444, /dev/tcp/1.2.3.4/…). */
  public static String publicIpInOrNull(String line) {
    Matcher m = BARE_IPV4.matcher(line);
    while (m.find()) {
      String ip = m.group(1);
      // Version numbers like 1.2.3.4 are common; require a network context around the address.
      int s = Math.max(0, m.start() - 24);
      String around = line.substring(s, Math.min(line.length(), m.end() + 8));
      if (isPublicIp(ip) && around.matches("(?s).*(://|@|/dev/tcp/|/dev/udp/|\\bnc\\b|\\bncat\\b|\\bsocat\\b|connect|host|addr|ip\\b|:\\d{2,5}\\b|\\s\\d{2,5}\\b).*")) {
        return ip;
      }
    }
    return null;
  }

  public static boolean isVendorInstaller(String url) {
    try {
      URI u = URI.create(url);
      if (!"https".equals(u.getScheme()) || u.getHost() == null) {
        return false;
      }
      String hostPath = u.getHost().toLowerCase(Locale.ROOT) + (u.getPath() == null ? "" : u.getPath());
      return VENDOR_INSTALLERS.stream().anyMatch(v -> v.contains("/") ? hostPath.startsWith(v)
          : u.getHost().equalsIgnoreCase(v) || u.getHost().toLowerCase(Locale.ROOT).endsWith("." + v));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
