package dev.warden.monitor.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.monitor.events.OcsfEvent;
import dev.warden.monitor.internal.MonitorJson;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** RFC 5424 over real loopback sockets: UDP datagrams and TCP octet-counted frames, parsed back. */
class SyslogExporterTest {

  /** {@code <PRI>1 TS HOST APP PROCID MSGID SD MSG}. */
  static final Pattern RFC5424 = Pattern.compile(
      "<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (-|\\[(?:[^\\]\\\\]|\\\\.)*\\]) \\x{FEFF}(.*)", Pattern.DOTALL);

  record Parsed(int pri, String timestamp, String host, String app, String procId, String msgId, String sd, String msg) {}

  static Parsed parse(byte[] frame) {
    String s = new String(frame, StandardCharsets.UTF_8);
    Matcher m = RFC5424.matcher(s);
    assertThat(m.matches()).as("RFC 5424 frame: %s", s).isTrue();
    return new Parsed(Integer.parseInt(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7),
        m.group(8));
  }

  static Map<String, String> sdParams(String sd) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(sd);
    while (m.find()) {
      out.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
    }
    return out;
  }

  @Test
  void udp_oneRfc5424MessagePerDatagram() throws Exception {
    List<OcsfEvent> events = ExportFixtures.events(3);
    try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      receiver.setSoTimeout(10_000);
      try (SyslogExporter x = new SyslogExporter(new Syslog.Config("127.0.0.1", receiver.getLocalPort(),
          Syslog.Protocol.UDP, 13, "warden"))) {
        x.export(events);
        List<Parsed> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          byte[] buf = new byte[Syslog.UDP_MAX_DATAGRAM_BYTES];
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          receiver.receive(p);
          got.add(parse(java.util.Arrays.copyOf(p.getData(), p.getLength())));
        }
        Parsed first = got.getFirst();
        assertThat(first.pri()).isEqualTo(13 * 8 + 6); // log audit, informational
        assertThat(first.app()).isEqualTo("warden");
        assertThat(first.msgId()).isEqualTo("decision");
        assertThat(first.timestamp()).endsWith("Z");
        assertThat(first.sd()).startsWith("[warden@32473 ");
        assertThat(sdParams(first.sd())).containsEntry("seq", "1").containsEntry("class_uid", "4002")
            .containsEntry("verdict", "allow").containsEntry("rule", "rule-0");
        assertThat(MonitorJson.readMap(first.msg())).containsEntry("class_uid", 4002);
        assertThat(got.get(1).pri()).isEqualTo(13 * 8 + 4); // deny → medium → warning
      }
    }
  }

  @Test
  void tcp_octetCountingFrames() throws Exception {
    List<OcsfEvent> events = ExportFixtures.events(4);
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(10_000);
      try (SyslogExporter x = new SyslogExporter(new Syslog.Config("127.0.0.1", server.getLocalPort(),
          Syslog.Protocol.TCP, 10, "warden"))) {
        x.export(events);
        try (Socket s = server.accept()) {
          s.setSoTimeout(10_000);
          InputStream in = s.getInputStream();
          for (int i = 0; i < 4; i++) {
            byte[] frame = readFrame(in);
            Parsed p = parse(frame);
            assertThat(p.pri() / 8).isEqualTo(10);
            assertThat(sdParams(p.sd())).containsEntry("seq", Integer.toString(i + 1));
            assertThat(MonitorJson.readMap(p.msg()).get("message")).asString().contains("egress api.test");
          }
        }
        assertThat(x.dropped()).isZero();
      }
    }
  }

  /** RFC 6587 octet counting: MSG-LEN SP SYSLOG-MSG. */
  static byte[] readFrame(InputStream in) throws Exception {
    ByteArrayOutputStream len = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != ' ') {
      assertThat(c).as("digit of MSG-LEN").isBetween((int) '0', (int) '9');
      len.write(c);
    }
    int n = Integer.parseInt(len.toString(StandardCharsets.US_ASCII));
    return in.readNBytes(n);
  }

  @Test
  void sdValues_escapeQuoteBackslashAndBracket() {
    assertThat(Syslog.escapeParam("a\"b\\c]d")).isEqualTo("a\\\"b\\\\c\\]d");
    assertThat(Syslog.token("has space=\"x\"", 32)).isEqualTo("has_space__x_");
    assertThat(Syslog.token("", 5)).isEqualTo("-");
  }

  @Test
  void udp_longMessageIsCutToTheDatagramLimit_onACharacterBoundary() {
    Syslog s = new Syslog(new Syslog.Config("127.0.0.1", 514, Syslog.Protocol.UDP, 13, "warden"));
    byte[] m = s.format(java.time.Instant.now(), 6, "x", Map.of(), "é".repeat(10_000), Syslog.UDP_MAX_DATAGRAM_BYTES);
    assertThat(m.length).isLessThanOrEqualTo(Syslog.UDP_MAX_DATAGRAM_BYTES);
    String text = new String(m, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\uFFFD");
    s.close();
  }
}
