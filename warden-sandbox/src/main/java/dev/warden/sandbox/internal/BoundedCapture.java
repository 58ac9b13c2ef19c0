package dev.warden.sandbox.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one output stream of a sandboxed command into memory, keeping at most {@code limitBytes}.
 * Going over calls {@code onOverflow} once and stops reading: the supervisor then kills the
 * command, so an endless printer costs at most the limit in heap and one kill.
 */
final class BoundedCapture implements Runnable {

  /** Read buffer size. */
  private static final int READ_CHUNK_BYTES = 16 * 1024;

  private final InputStream in;
  private final long limitBytes;
  private final Runnable onOverflow;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private volatile boolean truncated;

  BoundedCapture(InputStream in, long limitBytes, Runnable onOverflow) {
    this.in = in;
    this.limitBytes = limitBytes;
    this.onOverflow = onOverflow;
  }

  @Override
  public void run() {
    byte[] buf = new byte[READ_CHUNK_BYTES];
    try (in) {
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          return;
        }
        long room = limitBytes - kept.size();
        synchronized (kept) {
          kept.write(buf, 0, (int) Math.min(room, n));
        }
        if (n > room) {
          truncated = true;
          onOverflow.run();
          return;
        }
      }
    } catch (IOException e) {
      // The stream is closed when the process is killed: what was kept is the output.
    }
  }

  boolean truncated() {
    return truncated;
  }

  /** The kept bytes as UTF-8 (malformed input replaced), with the marker when truncated. */
  String text() {
    byte[] bytes;
    synchronized (kept) {
      bytes = kept.toByteArray();
    }
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder cannot fail", e);
    }
    return truncated ? s + dev.warden.sandbox.SandboxResult.truncationMarker(limitBytes) : s;
  }
}
