package dev.warden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.WardenSecurityException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WASM tools under Chicory; the modules are in src/test/resources/wasm (WAT source beside each). */
class WasmSandboxTest {

  @TempDir Path tmp;
  private final List<WasmHttpRequest> seen = new ArrayList<>();
  private final WasmSandbox wasm = WasmSandbox.create(r -> {
    seen.add(r);
    return new WasmHttpResponse(201, new TreeMap<>(Map.of("X-Reply", "yes")), "pong".getBytes(StandardCharsets.UTF_8));
  });

  static Path module(String name) {
    try {
      return Path.of(WasmSandboxTest.class.getResource("/wasm/" + name + ".wasm").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private SandboxResult run(String name, WasmLimits limits) throws WardenSecurityException {
    return wasm.run(WasmToolSpec.builder(name, module(name)).limits(limits).build());
  }

  @Test
  void hello_printsAndExitsZero() throws Exception {
    SandboxResult r = run("hello", WasmLimits.DEFAULT);
    assertThat(r.termination()).as(r.summary()).isEqualTo(Termination.EXITED);
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("hello from wasm\n");
  }

  @Test
  void hello_exitCodeFromArguments() throws Exception {
    SandboxResult r = wasm.run(WasmToolSpec.builder("hello", module("hello")).args("a", "b").build());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.summary()).contains("exited with status 2");
  }

  @Test
  void spin_runsOutOfFuel() throws Exception {
    SandboxResult r = run("spin", WasmLimits.DEFAULT.withFuelInstructions(1_000_000));
    assertThat(r.termination()).as(r.summary()).isEqualTo(Termination.CPU_LIMIT);
    assertThat(r.summary()).contains("fuel of 1000000");
  }

  @Test
  void spin_withEndlessFuel_hitsWallTime() throws Exception {
    SandboxResult r = run("spin", WasmLimits.DEFAULT.withFuelInstructions(Long.MAX_VALUE)
        .withWallTime(Duration.ofMillis(300)));
    assertThat(r.termination()).isEqualTo(Termination.WALL_TIMEOUT);
    assertThat(r.wallDuration()).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void flood_isStoppedAtOutputLimit() throws Exception {
    SandboxResult r = run("flood", WasmLimits.DEFAULT.withMaxOutputBytes(4096));
    assertThat(r.termination()).as(r.summary()).isEqualTo(Termination.OUTPUT_LIMIT);
    assertThat(r.stdoutTruncated()).isTrue();
    assertThat(r.stdout()).endsWith(SandboxResult.truncationMarker(4096));
  }

  @Test
  void grow_isStoppedAtMemoryCap() throws Exception {
    SandboxResult r = run("grow", WasmLimits.DEFAULT.withMaxMemoryPages(16));
    assertThat(r.termination()).as(r.summary()).isEqualTo(Termination.MEMORY_LIMIT);
  }

  @Test
  void bigInitialMemory_isRefused() throws Exception {
    SandboxResult r = run("bigmem", WasmLimits.DEFAULT.withMaxMemoryPages(256));
    assertThat(r.termination()).isEqualTo(Termination.MEMORY_LIMIT);
    assertThat(r.summary()).contains("1024 initial memory pages");
  }

  @Test
  void open_withoutDeclaredDirectory_fails() throws Exception {
    Files.writeString(tmp.resolve("secret.txt"), "top secret");
    SandboxResult r = run("open", WasmLimits.DEFAULT);
    assertThat(r.stdout()).startsWith("errno").doesNotContain("top secret");
  }

  @Test
  void open_withDeclaredDirectory_reads() throws Exception {
    Files.writeString(tmp.resolve("secret.txt"), "granted file");
    SandboxResult r = wasm.run(WasmToolSpec.builder("open", module("open")).directory(tmp, "/data").build());
    assertThat(r.stdout()).as(r.summary()).isEqualTo("granted file");
  }

  @Test
  void http_goesThroughTheHook() throws Exception {
    SandboxResult r = run("http", WasmLimits.DEFAULT);
    assertThat(r.stdout()).as(r.summary()).isEqualTo("201\nX-Reply: yes\n\npong");
    assertThat(seen).hasSize(1);
    WasmHttpRequest req = seen.getFirst();
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.url()).isEqualTo("http://api.example.test/v1/items");
    assertThat(req.headers()).containsEntry("x-token", "wdn-cred:api").containsEntry("Content-Type", "text/plain");
    assertThat(new String(req.body(), StandardCharsets.UTF_8)).isEqualTo("ping");
  }

  @Test
  void http_denyAll_returnsForbidden() throws Exception {
    SandboxResult r = WasmSandbox.create(WasmSandbox.DENY_ALL_HTTP)
        .run(WasmToolSpec.builder("http", module("http")).build());
    assertThat(r.stdout()).startsWith("403\n").contains("no network capability");
  }

  @Test
  void http_hookThatThrows_isAnErrorForTheTool() throws Exception {
    SandboxResult r = WasmSandbox.create(req -> { throw new IllegalStateException("boom"); })
        .run(WasmToolSpec.builder("http", module("http")).build());
    assertThat(r.stdout()).isEqualTo("error\n");
  }

  @Test
  void http_overCallLimit_isRefused() throws Exception {
    SandboxResult r = run("http", WasmLimits.DEFAULT.withMaxHttpCalls(0));
    assertThat(r.stdout()).isEqualTo("error\n");
    assertThat(seen).isEmpty();
  }

  @Test
  void notAModule_throws() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.wasm"), "not wasm");
    assertThatThrownBy(() -> wasm.run(WasmToolSpec.builder("bad", bad).build()))
        .isInstanceOf(WardenSecurityException.class)
        .hasMessageContaining("cannot load module");
  }

  @Test
  void spec_badName_fails() {
    assertThatThrownBy(() -> WasmToolSpec.builder("../x", module("hello")).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void spec_relativeGuestPath_fails() {
    assertThatThrownBy(() -> WasmToolSpec.builder("t", module("hello")).directory(tmp, "data").build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
