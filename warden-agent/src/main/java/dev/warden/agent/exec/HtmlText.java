package dev.warden.agent.exec;

import java.util.regex.Pattern;

/**
 * Page text for the model: scripts, styles and tags removed, entities decoded, whitespace folded.
 * Hidden text stays in on purpose — an injection hidden with CSS is still text the model reads,
 * and the label (untrusted, from this host) is what protects the session, not the cleaning.
 */
final class HtmlText {
  private static final Pattern SCRIPT = Pattern.compile("(?is)<(script|style|noscript)[^>]*>.*?</\\1>");
  private static final Pattern BLOCK = Pattern.compile("(?i)<(br|/p|/div|/li|/h[1-6]|/tr|p|div|li|h[1-6]|tr)[^>]*>");
  private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");

  private HtmlText() {}

  static String extract(String html) {
    String s = SCRIPT.matcher(html).replaceAll(" ");
    s = BLOCK.matcher(s).replaceAll("\n");
    s = TAG.matcher(s).replaceAll("");
    s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&amp;", "&");
    s = s.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" *\n[ \n]*", "\n");
    return s.strip();
  }
}
