package dev.warden.registry.pkg.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds hostile tar archives with valid checksums, to reach the reader's real checks. */
public final class RawTar {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public RawTar entry(String name, char type, String mode, byte[] content) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
    put(h, 100, mode + "\0");
    put(h, 108, "0000000\0");
    put(h, 116, "0000000\0");
    put(h, 124, String.format("%011o", content.length) + "\0");
    put(h, 136, "00000000000\0");
    h[156] = (byte) type;
    if (type == '2') {
      put(h, 157, "/etc/passwd");
    }
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum) + "\0 ");
    out.writeBytes(h);
    out.writeBytes(content);
    out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    return this;
  }

  public RawTar file(String name, String content) {
    return entry(name, '0', "0000644", content.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] build() {
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
