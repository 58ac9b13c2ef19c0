package dev.warden.monitor.export;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 5424 syslog messages, sent over UDP (RFC 5426: one message per datagram) or TCP (RFC 6587
 * octet counting: {@code MSG-LEN SP SYSLOG-MSG}). Not thread-safe: one sender per worker thread.
 *
 * <p>Failure: a TCP connection that breaks is reopened on the next send; the message that failed is
 * reported to the caller (which counts it).
 */
public final class Syslog implements AutoCloseable {

  /** Largest UDP datagram sent; the MSG part is cut to fit (rsyslog's default max message size). */
  public static final int UDP_MAX_DATAGRAM_BYTES = 8192;
  /** Largest TCP frame sent; the MSG part is cut to fit. */
  public static final int TCP_MAX_FRAME_BYTES = 64 * 1024;
  /** Connect timeout for TCP. */
  public static final int TCP_CONNECT_TIMEOUT_MILLIS = 5_000;
  /** The structured-data id (32473 is the private enterprise number reserved for examples, RFC 5612). */
  public static final String SD_ID = "warden@32473";

  public enum Protocol { UDP, TCP }

  /**
   * @param facility RFC 5424 facility code 0..23 (default 13, log audit)
   */
  public record Config(String host, int port, Protocol protocol, int facility, String appName) {
    public static final int DEFAULT_FACILITY = 13;

    public Config {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(protocol, "protocol");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("syslog port must be 1..65535, got " + port);
      }
      if (facility < 0 || facility > 23) {
        throw new IllegalArgumentException("syslog facility must be 0..23, got " + facility);
      }
      if (appName == null || appName.isBlank() || appName.length() > 48) {
        throw new IllegalArgumentException("syslog app_name must be 1..48 printable characters, got " + appName);
      }
    }
  }

  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

  private final Config config;
  private final String hostname;
  private final String procId;
  private DatagramSocket udp;
  private Socket tcp;
  private OutputStream tcpOut;

  public Syslog(Config config) {
    this.config = config;
    this.hostname = localHostname();
    this.procId = Long.toString(ProcessHandle.current().pid());
  }

  /**
   * One RFC 5424 message: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG}. MSG is
   * UTF-8 with a leading BOM, as the RFC asks for UTF-8 messages.
   */
  public byte[] format(Instant time, int severity, String msgId, Map<String, String> sdParams, String msg, int maxBytes) {
    StringBuilder head = new StringBuilder(160);
    head.append('<').append(config.facility() * 8 + severity).append(">1 ")
        .append(TIMESTAMP.format(time.truncatedTo(ChronoUnit.MILLIS))).append(' ')
        .append(token(hostname, 255)).append(' ')
        .append(token(config.appName(), 48)).append(' ')
        .append(token(procId, 128)).append(' ')
        .append(token(msgId, 32)).append(' ');
    if (sdParams.isEmpty()) {
      head.append('-');
    } else {
      head.append('[').append(SD_ID);
      for (Map.Entry<String, String> p : sdParams.entrySet()) {
        if (p.getValue() != null) {
          head.append(' ').append(token(p.getKey(), 32)).append("=\"").append(escapeParam(p.getValue())).append('"');
        }
      }
      head.append(']');
    }
    head.append(' ');
    byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] body = msg.getBytes(StandardCharsets.UTF_8);
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    int room = Math.max(0, maxBytes - h.length - bom.length);
    int bodyLen = Math.min(body.length, room);
    // Do not cut a UTF-8 sequence in half.
    while (bodyLen > 0 && bodyLen < body.length && (body[bodyLen] & 0xC0) == 0x80) {
      bodyLen--;
    }
    byte[] out = new byte[h.length + bom.length + bodyLen];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(bom, 0, out, h.length, bom.length);
    System.arraycopy(body, 0, out, h.length + bom.length, bodyLen);
    return out;
  }

  public void send(Instant time, int severity, String msgId, Map<String, String> sdParams, String msg) throws IOException {
    if (config.protocol() == Protocol.UDP) {
      byte[] m = format(time, severity, msgId, sdParams, msg, UDP_MAX_DATAGRAM_BYTES);
      if (udp == null) {
        udp = new DatagramSocket();
      }
      udp.send(new DatagramPacket(m, m.length, new InetSocketAddress(config.host(), config.port())));
      return;
    }
    byte[] m = format(time, severity, msgId, sdParams, msg, TCP_MAX_FRAME_BYTES);
    byte[] len = (m.length + " ").getBytes(StandardCharsets.US_ASCII);
    try {
      ensureTcp();
      tcpOut.write(len);
      tcpOut.write(m);
      tcpOut.flush();
    } catch (IOException e) {
      closeTcp();
      throw new IOException("syslog TCP " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  private void ensureTcp() throws IOException {
    if (tcp == null) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(config.host(), config.port()), TCP_CONNECT_TIMEOUT_MILLIS);
      tcp = s;
      tcpOut = new java.io.BufferedOutputStream(s.getOutputStream());
    }
  }

  private void closeTcp() {
    try {
      if (tcp != null) {
        tcp.close();
      }
    } catch (IOException ignored) {
      // reconnect on next send
    }
    tcp = null;
    tcpOut = null;
  }

  /** PRINTUSASCII without spaces, at most {@code max} characters; "-" when empty (NILVALUE). */
  static String token(String s, int max) {
    if (s == null || s.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      sb.append(c > 32 && c < 127 && c != '=' && c != ']' && c != '"' ? c : '_');
    }
    return sb.toString();
  }

  /** PARAM-VALUE escaping: {@code "}, {@code \} and {@code ]} are preceded by a backslash. */
  static String escapeParam(String v) {
    StringBuilder sb = new StringBuilder(v.length() + 8);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"' || c == '\\' || c == ']') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static String localHostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "-";
    }
  }

  @Override
  public void close() {
    closeTcp();
    if (udp != null) {
      udp.close();
    }
  }
}
