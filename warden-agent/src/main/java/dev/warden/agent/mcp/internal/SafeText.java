package dev.warden.agent.mcp.internal;

/** Makes untrusted text safe to print on a terminal: no escape sequences, no control characters. */
public final class SafeText {
  private SafeText() {}

  /** Replaces control characters (except newline and tab) and bidi overrides with visible escapes. */
  public static String forTerminal(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean bidi = (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F';
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0) || bidi) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
