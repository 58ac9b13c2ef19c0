package dev.warden.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.agent.AgentSession;
import dev.warden.agent.TurnListener;
import dev.warden.agent.TurnResult;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.WardenHome;
import dev.warden.vault.HostPattern;
import dev.warden.vault.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quarantine through the API stops a running session's next action, and release restores it; both audited. */
class ContainmentTest {
  @TempDir Path dir;

  @Test
  void quarantine_stopsTheNextAction_suspendsCredentials_cancelsApprovals_andReleaseRestores() throws Exception {
    Path script = dir.resolve("s.yaml");
    Files.writeString(script, """
        steps:
          - reply:
              tool_calls:
                - name: write_file
                  arguments: { path: a.txt, content: "one" }
          - reply: { text: "ok" }
          - reply:
              tool_calls:
                - name: write_file
                  arguments: { path: b.txt, content: "two" }
          - reply: { text: "ok" }
          - reply:
              tool_calls:
                - name: write_file
                  arguments: { path: c.txt, content: "three" }
          - reply: { text: "ok" }
        """);
    try (WardenRuntime rt = WardenRuntime.open(new WardenHome(dir.resolve("home")),
        new WardenRuntime.Options("scripted:" + script, List.of(), Duration.ZERO))) {
      rt.vault().add("github", Secret.ofUtf8("ghp_" + "a".repeat(36)), List.of(HostPattern.of("api.github.com")), List.of("repo"));
      GatewayAuth auth = new GatewayAuth(rt.home().keys(), rt.clock());
      String token = auth.initialise().orElseThrow();
      try (GatewayServer gw = new GatewayServer(rt, auth, "127.0.0.1").start(0)) {
        AgentSession s = rt.session("running", Principal.owner(), "test");
        assertThat(rt.loop().run(s, "first", Label.owner(), TurnListener.NONE).actions().getFirst().executed()).isTrue();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> q = http.send(HttpRequest.newBuilder(URI.create(gw.origin() + "/api/quarantine"))
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"drill\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(q.statusCode()).as(q.body()).isEqualTo(200);

        TurnResult next = rt.loop().run(s, "second", Label.owner(), TurnListener.NONE);
        assertThat(next.actions().getFirst().decision()).isEqualTo("deny");
        assertThat(next.actions().getFirst().rule()).isEqualTo("quarantine");
        assertThat(rt.workspace().root().resolve("b.txt")).doesNotExist();
        assertThat(rt.vault().metadata("github").orElseThrow().suspended()).isTrue();
        assertThat(rt.messages().muted()).isTrue();
        assertThat(rt.cron().paused()).isTrue();
        assertThat(rt.snapshots().list()).anySatisfy(m -> assertThat(m.reason()).startsWith("forensic: quarantine"));
        assertThat(rt.audit().store().tail(30)).anySatisfy(r -> assertThat(r.body().get("name")).isEqualTo("quarantined"));

        HttpResponse<String> rel = http.send(HttpRequest.newBuilder(URI.create(gw.origin() + "/api/release"))
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(rel.statusCode()).isEqualTo(200);
        assertThat(rt.loop().run(s, "third", Label.owner(), TurnListener.NONE).actions().getFirst().executed()).isTrue();
        assertThat(rt.vault().metadata("github").orElseThrow().suspended()).isFalse();
        assertThat(rt.audit().store().tail(30)).anySatisfy(r -> assertThat(r.body().get("name")).isEqualTo("released"));
      }
    }
  }
}
