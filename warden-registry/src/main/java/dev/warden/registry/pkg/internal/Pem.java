package dev.warden.registry.pkg.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The PEM armour of RFC 7468 for one DER block. */
public final class Pem {
  private Pem() {}

  public static String encode(String label, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
  }

  public static byte[] decode(String label, String pem) throws IOException {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new IOException("not a PEM block of type " + label);
    }
    String body = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException ex) {
      throw new IOException("PEM block " + label + " is not valid base64", ex);
    }
  }
}
