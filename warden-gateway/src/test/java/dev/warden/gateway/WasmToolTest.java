package dev.warden.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.Action;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.Submission;
import dev.warden.kernel.WardenHome;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A WASM tool (Chicory) whose only way out is the http host function, decided by the kernel as the session. */
class WasmToolTest {
  @TempDir Path dir;
  LoopbackHttp api;
  WardenRuntime rt;

  @BeforeEach
  void setUp() throws Exception {
    api = new LoopbackHttp("127.0.0.1", "text/plain", "forecast: sunny");
    Path tool = dir.resolve("home/tools/fetch");
    Files.createDirectories(tool);
    try (InputStream in = getClass().getResourceAsStream("/wasm/fetch.wasm")) {
      Files.write(tool.resolve("tool.wasm"), in.readAllBytes());
    }
    Files.writeString(tool.resolve("tool.yaml"), """
        name: fetch
        description: Sends the HTTP request given as input and prints the response.
        module: tool.wasm
        limits: { wall_seconds: 5 }
        """);
    rt = WardenRuntime.open(new WardenHome(dir.resolve("home")), new WardenRuntime.Options(null, List.of("127.0.0.1"), null));
  }

  @AfterEach
  void tearDown() {
    rt.close();
    api.close();
  }

  @Test
  void wasmTool_isOffered_runs_andItsHttpGoesThroughTheKernel() throws Exception {
    assertThat(rt.loop().tools().names()).contains("wasm__fetch");
    SessionContext s = SessionContext.forOwner("w1");
    Submission sub = rt.kernel().submit(new Action.ToolCall("wasm:fetch", "fetch",
        Map.of("input", "GET " + api.url("/weather") + "\n\n")), s);
    assertThat(sub).isInstanceOf(Submission.Executed.class);
    assertThat(((Submission.Executed) sub).result().content()).contains("forecast: sunny");
    assertThat(api.received).singleElement().extracting(LoopbackHttp.Received::path).isEqualTo("/weather");
    assertThat(s.label().isTainted()).isTrue();
    assertThat(rt.audit().store().tail(20)).anySatisfy(r -> {
      assertThat(r.type()).isEqualTo("decision");
      assertThat(r.body().get("action")).isEqualTo("egress");
      assertThat(r.body().get("verdict")).isEqualTo("allow");
    });
  }

  @Test
  void wasmToolInATaintedSession_cannotPostData_theKernelAsks() {
    SessionContext s = new SessionContext("w2", Principal.owner(), Set.of(), Label.bottom());
    s.observe("page", Label.untrusted("web:evil.test"));
    Submission sub = rt.kernel().submit(new Action.ToolCall("wasm:fetch", "fetch",
        Map.of("input", "POST " + api.url("/exfil") + "\n\nsecret notes")), s);
    // The tool call itself asks in a tainted session; grant it and the inner POST still asks.
    assertThat(sub).isInstanceOf(Submission.Pending.class);
    assertThat(api.received).isEmpty();
  }

  @Test
  void insideTheTool_aPostFromATaintedContext_isRefusedByTheKernel() throws Exception {
    SessionContext s = new SessionContext("w3", Principal.owner(), Set.of(), Label.bottom());
    s.observe("page", Label.untrusted("web:evil.test"));
    Submission.Pending p = (Submission.Pending) rt.kernel().submit(new Action.ToolCall("wasm:fetch", "fetch",
        Map.of("input", "POST " + api.url("/exfil") + "\n\nsecret notes")), s);
    rt.kernel().answer(p.approvalId(), true, dev.warden.kernel.GrantScope.ONCE, null,
        new SessionContext("o", Principal.owner(), Set.of(), Label.owner()));
    Submission done = p.resolution().get();
    assertThat(done).isInstanceOf(Submission.Executed.class);
    assertThat(((Submission.Executed) done).result().content()).contains("403").contains("needs approval");
    assertThat(api.received).isEmpty();
  }
}
