package dev.warden.agent.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class GuardedInputStreamTest {

  /** Blocks every read until closed, like a socket that went silent. */
  private static final class SilentStream extends InputStream {
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public int read() throws java.io.IOException {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return -1;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void withinBound_readsEverything() throws Exception {
    try (GuardedInputStream g = new GuardedInputStream(new ByteArrayInputStream(new byte[100]), 100, 5_000, 5_000)) {
      assertThat(g.readAllBytes()).hasSize(100);
      assertThat(g.count()).isEqualTo(100);
    }
  }

  @Test
  void overByteBound_throwsTooLarge() {
    GuardedInputStream g = new GuardedInputStream(new ByteArrayInputStream(new byte[101]), 100, 5_000, 5_000);
    assertThatThrownBy(g::readAllBytes).isInstanceOf(GuardedInputStream.TooLargeIo.class).hasMessageContaining("100 bytes");
  }

  @Test
  void silence_isCutAfterIdleTimeout() {
    GuardedInputStream g = new GuardedInputStream(new SilentStream(), 100, 200, 60_000);
    long t0 = System.nanoTime();
    assertThatThrownBy(g::read).isInstanceOf(GuardedInputStream.TimeoutIo.class).hasMessageContaining("200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
  }

  @Test
  void totalDeadline_cutsEvenAStreamThatKeepsSending() throws Exception {
    InputStream trickle = new InputStream() {
      @Override
      public int read() {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return 'x';
      }
    };
    GuardedInputStream g = new GuardedInputStream(trickle, 1_000_000, 10_000, 300);
    assertThatThrownBy(() -> {
      while (true) {
        g.read();
      }
    }).isInstanceOf(GuardedInputStream.TimeoutIo.class).hasMessageContaining("longer than");
  }
}
