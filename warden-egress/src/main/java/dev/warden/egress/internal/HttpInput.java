package dev.warden.egress.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A buffered reader of HTTP/1.1 framing over a byte stream, with every length bounded. Unlike a
 * {@code BufferedInputStream} it can hand back what it buffered beyond a head
 * ({@link #drainBuffered()}), which the proxy needs when a CONNECT tunnel switches to TLS.
 */
public final class HttpInput {
  /** Longest chunk-size line (size plus extensions) accepted. */
  public static final int MAX_CHUNK_LINE_BYTES = 4096;
  /** Longest trailer line accepted (trailers are read and dropped). */
  public static final int MAX_TRAILER_LINE_BYTES = 8192;
  /** Read buffer size. */
  public static final int BUFFER_BYTES = 16 * 1024;

  private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("[0-9a-fA-F]{1,15}");

  private final InputStream in;
  private byte[] buf = new byte[BUFFER_BYTES];
  private int pos;
  private int lim;
  private long consumed;

  public HttpInput(InputStream in, byte[] prefill) {
    this.in = in;
    if (prefill.length > buf.length) {
      buf = new byte[prefill.length];
    }
    System.arraycopy(prefill, 0, buf, 0, prefill.length);
    lim = prefill.length;
  }

  public HttpInput(InputStream in) {
    this(in, new byte[0]);
  }

  /** Bytes handed out so far. */
  public long consumed() {
    return consumed;
  }

  private boolean fill() throws IOException {
    if (pos < lim) {
      return true;
    }
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    consumed++;
    return buf[pos++] & 0xff;
  }

  public int read(byte[] b, int off, int len) throws IOException {
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, lim - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    consumed += n;
    return n;
  }

  public void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = read(b, off, len);
      if (n < 0) {
        throw new EOFException("connection closed in the middle of a message");
      }
      off += n;
      len -= n;
    }
  }

  /** Whatever is buffered and not yet consumed (empty if nothing). */
  public byte[] drainBuffered() {
    byte[] out = Arrays.copyOfRange(buf, pos, lim);
    consumed += lim - pos;
    pos = lim;
    return out;
  }

  /**
   * Reads one line (up to LF, CR stripped), at most {@code maxBytes}; null at a clean end of stream
   * before any byte.
   */
  public String readLine(int maxBytes) throws IOException, ProtocolException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int c;
    boolean any = false;
    while ((c = read()) != -1) {
      any = true;
      if (c == '\n') {
        byte[] b = line.toByteArray();
        int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= maxBytes) {
        throw new ProtocolException(431, "header line longer than " + maxBytes + " bytes");
      }
      line.write(c);
    }
    if (!any) {
      return null;
    }
    throw new EOFException("connection closed in the middle of a line");
  }

  /**
   * Reads a head: start line and fields up to the empty line. Returns null at a clean end of stream
   * before the head starts (a keep-alive connection closed by the peer).
   */
  public Head readHead(int maxHeadBytes, int maxFields) throws IOException, ProtocolException {
    int budget = maxHeadBytes;
    String start = readLine(budget);
    while (start != null && start.isEmpty()) {
      start = readLine(budget); // RFC 9112 2.2: ignore empty lines before a request line
    }
    if (start == null) {
      return null;
    }
    budget -= start.length() + 2;
    List<Head.Header> fields = new ArrayList<>();
    while (true) {
      if (budget <= 0) {
        throw new ProtocolException(431, "head larger than " + maxHeadBytes + " bytes");
      }
      String line = readLine(budget);
      if (line == null) {
        throw new EOFException("connection closed in the middle of a head");
      }
      budget -= line.length() + 2;
      if (line.isEmpty()) {
        return new Head(start, fields);
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new ProtocolException(400, "obsolete line folding in header fields is not accepted");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException(400, "malformed header line");
      }
      String name = line.substring(0, colon);
      if (!TOKEN.matcher(name).matches()) {
        throw new ProtocolException(400, "invalid header name");
      }
      if (fields.size() >= maxFields) {
        throw new ProtocolException(431, "more than " + maxFields + " header fields");
      }
      fields.add(new Head.Header(name, line.substring(colon + 1).trim()));
    }
  }

  /** Reads a request body framed by {@code head}, decoding chunked encoding, up to {@code maxBytes}. */
  public byte[] readBody(Head head, int maxBytes) throws IOException, ProtocolException {
    List<String> te = head.all("transfer-encoding");
    List<String> cl = head.all("content-length");
    if (!te.isEmpty() && !cl.isEmpty()) {
      throw new ProtocolException(400, "both Transfer-Encoding and Content-Length present");
    }
    if (!te.isEmpty()) {
      if (!head.hasToken("transfer-encoding", "chunked") || te.size() != 1 || !te.getFirst().trim().equalsIgnoreCase("chunked")) {
        throw new ProtocolException(501, "only 'Transfer-Encoding: chunked' is supported for request bodies");
      }
      return readChunked(maxBytes);
    }
    if (cl.isEmpty()) {
      return new byte[0];
    }
    long len = contentLength(cl);
    if (len > maxBytes) {
      throw new ProtocolException(413, "request body of " + len + " bytes exceeds the " + maxBytes
          + "-byte limit of what the egress proxy buffers for its leak scan");
    }
    byte[] b = new byte[(int) len];
    readFully(b, 0, b.length);
    return b;
  }

  public static long contentLength(List<String> values) throws ProtocolException {
    long len = -1;
    for (String v : values) {
      for (String part : v.split(",")) {
        long n;
        try {
          n = Long.parseLong(part.trim());
        } catch (NumberFormatException e) {
          throw new ProtocolException(400, "invalid Content-Length");
        }
        if (n < 0 || (len != -1 && n != len)) {
          throw new ProtocolException(400, "invalid or conflicting Content-Length");
        }
        len = n;
      }
    }
    return len;
  }

  private byte[] readChunked(int maxBytes) throws IOException, ProtocolException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    decodeChunked(out, maxBytes);
    return out.toByteArray();
  }

  /**
   * Decodes a chunked body into {@code out}, dropping trailers (they would bypass the leak scan).
   * More than {@code maxBytes} of data is a 413.
   */
  public long decodeChunked(OutputStream out, long maxBytes) throws IOException, ProtocolException {
    long total = 0;
    while (true) {
      long size = chunkSize(readLine(MAX_CHUNK_LINE_BYTES));
      if (size == 0) {
        String t;
        while ((t = readLine(MAX_TRAILER_LINE_BYTES)) != null && !t.isEmpty()) {
          // dropped
        }
        return total;
      }
      if (total + size > maxBytes) {
        throw new ProtocolException(413, "chunked body exceeds the " + maxBytes
            + "-byte limit of what the egress proxy buffers for its leak scan");
      }
      copy(out, size);
      total += size;
      String crlf = readLine(2);
      if (crlf == null || !crlf.isEmpty()) {
        throw new ProtocolException(400, "malformed chunk terminator");
      }
    }
  }

  public static long chunkSize(String line) throws ProtocolException, EOFException {
    if (line == null) {
      throw new EOFException("connection closed before a chunk size");
    }
    int semi = line.indexOf(';');
    String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
    if (!HEX.matcher(hex).matches()) {
      throw new ProtocolException(400, "malformed chunk size");
    }
    return Long.parseLong(hex, 16);
  }

  /** Copies exactly {@code n} bytes to {@code out}. */
  public long copy(OutputStream out, long n) throws IOException {
    byte[] b = new byte[BUFFER_BYTES];
    long left = n;
    while (left > 0) {
      int r = read(b, 0, (int) Math.min(b.length, left));
      if (r < 0) {
        throw new EOFException("upstream closed with " + left + " body bytes missing");
      }
      out.write(b, 0, r);
      left -= r;
    }
    return n;
  }

  /** Copies until end of stream. */
  public long copyToEnd(OutputStream out) throws IOException {
    byte[] b = new byte[BUFFER_BYTES];
    long total = 0;
    int r;
    while ((r = read(b, 0, b.length)) >= 0) {
      out.write(b, 0, r);
      total += r;
    }
    return total;
  }

  /** Relays a chunked body verbatim (sizes, data, trailers), parsing only to find its end. */
  public long relayChunked(OutputStream out) throws IOException, ProtocolException {
    long total = 0;
    while (true) {
      String line = readLine(MAX_CHUNK_LINE_BYTES);
      long size = chunkSize(line);
      byte[] l = (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
      out.write(l);
      total += l.length;
      if (size == 0) {
        String t;
        while ((t = readLine(MAX_TRAILER_LINE_BYTES)) != null) {
          byte[] tb = (t + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
          out.write(tb);
          total += tb.length;
          if (t.isEmpty()) {
            return total;
          }
        }
        return total;
      }
      total += copy(out, size);
      String crlf = readLine(2);
      if (crlf == null || !crlf.isEmpty()) {
        throw new ProtocolException(502, "upstream sent a malformed chunk terminator");
      }
      out.write('\r');
      out.write('\n');
      total += 2;
    }
  }
}
