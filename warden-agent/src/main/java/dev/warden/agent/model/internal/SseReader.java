package dev.warden.agent.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads Server-Sent Events (the WHATWG {@code text/event-stream} format): fields {@code event} and
 * {@code data} (several data lines join with a newline), comment lines starting with {@code :},
 * lines ending in LF, CRLF or CR, and a blank line dispatching the event. Each event is bounded by
 * {@link Limits#MAX_SSE_EVENT_BYTES}. Not thread-safe.
 */
public final class SseReader {

  /** One dispatched event; {@code type} is {@code message} when the server named none. */
  public record Event(String type, String data) {}

  /** An event or line is larger than {@link Limits#MAX_SSE_EVENT_BYTES}. */
  public static final class EventTooLargeIo extends java.io.IOException {
    EventTooLargeIo(String message) {
      super(message);
    }
  }

  private final InputStream in;
  private final int maxEventBytes;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int limit;
  private boolean skipLf;
  private boolean eof;
  private byte[] line = new byte[256];

  public SseReader(InputStream in) {
    this(in, Limits.MAX_SSE_EVENT_BYTES);
  }

  public SseReader(InputStream in, int maxEventBytes) {
    this.in = in;
    this.maxEventBytes = maxEventBytes;
  }

  /** The next event, or null at the end of the stream. A final event without a blank line still counts. */
  public Event next() throws IOException {
    String type = null;
    StringBuilder data = null;
    long eventBytes = 0;
    while (true) {
      String l = readLine();
      if (l == null) {
        return data == null ? null : new Event(type == null ? "message" : type, data.toString());
      }
      if (l.isEmpty()) {
        if (data != null) {
          return new Event(type == null ? "message" : type, data.toString());
        }
        type = null;
        eventBytes = 0;
        continue;
      }
      eventBytes += l.length() + 1;
      if (eventBytes > maxEventBytes) {
        throw new EventTooLargeIo("a server-sent event exceeds the bound of " + maxEventBytes + " bytes");
      }
      if (l.charAt(0) == ':') {
        continue;
      }
      int colon = l.indexOf(':');
      String field = colon < 0 ? l : l.substring(0, colon);
      String value = colon < 0 ? "" : l.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> type = value;
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        default -> {
          // id, retry and unknown fields carry nothing a model reply needs.
        }
      }
    }
  }

  private String readLine() throws IOException {
    int len = 0;
    while (true) {
      if (pos == limit) {
        if (eof) {
          return len == 0 ? null : new String(line, 0, len, StandardCharsets.UTF_8);
        }
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
          eof = true;
          continue;
        }
        pos = 0;
        limit = n;
      }
      byte b = buf[pos++];
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        skipLf = b == '\r';
        return new String(line, 0, len, StandardCharsets.UTF_8);
      }
      if (len == maxEventBytes) {
        throw new EventTooLargeIo("a server-sent event line exceeds the bound of " + maxEventBytes + " bytes");
      }
      if (len == line.length) {
        line = java.util.Arrays.copyOf(line, Math.min(maxEventBytes, line.length * 2));
      }
      line[len++] = b;
    }
  }
}
