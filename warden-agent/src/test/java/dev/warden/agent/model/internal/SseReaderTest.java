package dev.warden.agent.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static List<SseReader.Event> all(String text, int max) throws IOException {
    SseReader r = new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    List<SseReader.Event> out = new ArrayList<>();
    SseReader.Event e;
    while ((e = r.next()) != null) {
      out.add(e);
    }
    return out;
  }

  @Test
  void lf_crlf_cr_lineEndings_allWork() throws Exception {
    assertThat(all("data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d", 1000))
        .extracting(SseReader.Event::data).containsExactly("a", "b", "c", "d");
  }

  @Test
  void multipleDataLines_joinWithNewline_eventTypeKept_commentsSkipped() throws Exception {
    List<SseReader.Event> ev = all(": hi\nevent: delta\ndata: one\ndata:two\nid: 3\nretry: 10\n\n\n\ndata: x\n\n", 1000);
    assertThat(ev).containsExactly(new SseReader.Event("delta", "one\ntwo"), new SseReader.Event("message", "x"));
  }

  @Test
  void blankLinesWithoutData_dispatchNothing() throws Exception {
    assertThat(all("event: ping\n\n\n", 1000)).isEmpty();
  }

  @Test
  void multibyteUtf8_splitAcrossReads_isDecoded() throws Exception {
    byte[] bytes = "data: héllo ✓\n\n".getBytes(StandardCharsets.UTF_8);
    // A stream that returns one byte per read splits every multibyte character.
    InputStream slow = new InputStream() {
      int i;

      @Override
      public int read() {
        return i < bytes.length ? bytes[i++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int c = read();
        if (c < 0) {
          return -1;
        }
        b[off] = (byte) c;
        return 1;
      }
    };
    assertThat(new SseReader(slow, 1000).next().data()).isEqualTo("héllo ✓");
  }

  @Test
  void overlongLine_isRejected() {
    assertThatThrownBy(() -> all("data: " + "x".repeat(200) + "\n\n", 100))
        .isInstanceOf(SseReader.EventTooLargeIo.class);
  }

  @Test
  void manyShortLinesInOneEvent_overBound_isRejected() {
    assertThatThrownBy(() -> all("data: xxxxxxxx\n".repeat(50) + "\n", 100))
        .isInstanceOf(SseReader.EventTooLargeIo.class);
  }
}
