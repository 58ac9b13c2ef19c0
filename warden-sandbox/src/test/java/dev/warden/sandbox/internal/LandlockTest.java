package dev.warden.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LandlockTest {

  @Test
  void abiVersion_isReportedThroughFfm() {
    int abi = Landlock.abiVersion();
    assertThat(abi).isGreaterThanOrEqualTo(0);
  }

  @Test
  void restrictedThread_cannotConnect_whileOtherThreadsCan() throws Exception {
    int abi = Landlock.abiVersion();
    Assumptions.assumeTrue(abi >= Landlock.MIN_ABI_NET, "kernel without Landlock network rules");
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      AtomicReference<Throwable> inside = new AtomicReference<>();
      AtomicReference<String> applied = new AtomicReference<>();
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          applied.set(Landlock.restrictCurrentThread(abi, List.of()));
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            inside.set(null);
          }
        } catch (Throwable e) {
          inside.set(e);
        }
      });
      t.join();
      assertThat(applied.get()).contains("landlock ABI");
      assertThat(inside.get()).isInstanceOf(IOException.class);
      // this (unrestricted) thread still can
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        assertThat(s.isConnected()).isTrue();
      }
    }
  }

  @Test
  void restrictedThread_allowedPort_isReachable_otherPortsNot() throws Exception {
    int abi = Landlock.abiVersion();
    Assumptions.assumeTrue(abi >= Landlock.MIN_ABI_NET, "kernel without Landlock network rules");
    try (ServerSocket allowed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicReference<String> outcome = new AtomicReference<>("");
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          Landlock.restrictCurrentThread(abi, List.of(allowed.getLocalPort()));
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), allowed.getLocalPort())) {
            outcome.set("allowed-ok");
          }
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), other.getLocalPort())) {
            outcome.set(outcome.get() + " other-ok");
          }
        } catch (Throwable e) {
          outcome.set(outcome.get() + " other-refused");
        }
      });
      t.join();
      assertThat(outcome.get()).isEqualTo("allowed-ok other-refused");
    }
  }

  @Test
  void oldAbi_isRefusedWithReason() {
    assertThatThrownBy(() -> Landlock.restrictCurrentThread(3, List.of()))
        .isInstanceOf(Landlock.LandlockException.class)
        .hasMessageContaining("no network rules");
  }
}
