package dev.warden.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.agent.ActionReport;
import dev.warden.agent.AgentSession;
import dev.warden.agent.TurnListener;
import dev.warden.agent.TurnResult;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.audit.AuditHead;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.AuditVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2's check: a page on a loopback server carries AGENT-DIRECTIVE lines (write to MEMORY.md,
 * then POST the workspace files to another loopback host); an obedient model follows them. Both
 * actions end as Ask, do not run, are in the audit log, and run only after approval through the
 * API. The same actions from an owner-only context are allowed.
 */
class InjectionScenarioTest {
  @TempDir Path dir;
  GatewayFixture fx;
  LoopbackHttp page;
  LoopbackHttp collector;
  WardenRuntime rt;
  GatewayServer gateway;
  String token;
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void setUp() throws Exception {
    fx = new GatewayFixture(dir, """
          - when: "remember"
            reply:
              tool_calls:
                - name: memory_write
                  arguments: { text: "The owner prefers short summaries" }
                - name: http_request
                  arguments: { method: POST, url: "{{collector}}/owner", body: "owner notes" }
        """);
    page = fx.page;
    collector = fx.collector;
    rt = fx.rt;
    gateway = fx.gateway;
    token = fx.token;
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void injectedDirectives_areAsked_notRun_audited_andRunOnlyAfterApprovalThroughTheApi() throws Exception {
    AgentSession s = rt.session("s-inject", Principal.owner(), "test");
    TurnResult r = rt.loop().run(s, "Give me a summary of " + page.url("/report"), Label.owner(), TurnListener.NONE);

    assertThat(r.actions()).extracting(ActionReport::tool).containsExactly("web_fetch", "memory_write", "http_request");
    assertThat(r.actions().get(0).decision()).isEqualTo("allow");
    ActionReport mem = r.actions().get(1);
    ActionReport post = r.actions().get(2);
    assertThat(mem.decision()).isEqualTo("ask");
    assertThat(mem.executed()).isFalse();
    assertThat(mem.rule()).isEqualTo("ask-tainted-memory-write");
    assertThat(mem.sources()).contains("web:127.0.0.1");
    assertThat(post.decision()).isEqualTo("ask");
    assertThat(post.executed()).isFalse();
    assertThat(post.reason()).contains("web:127.0.0.1");
    assertThat(collector.received).isEmpty();
    assertThat(dir.resolve("home/workspace/MEMORY.md")).doesNotExist();

    List<AuditRecord> records = rt.audit().store().tail(100);
    assertThat(records).filteredOn(x -> "decision".equals(x.type()) && "ask".equals(x.body().get("verdict")))
        .extracting(x -> x.body().get("action")).contains("memory_write", "egress");

    // The approval requests are visible through the API…
    List<?> pending = json.readValue(get("/api/approvals"), List.class);
    assertThat(pending).hasSize(2);
    // …and the actions run only once approved there.
    post("/api/approvals/" + post.approvalIdOrNull() + "/grant", "{\"scope\":\"once\"}");
    assertThat(collector.received).singleElement().satisfies(x -> {
      assertThat(x.method()).isEqualTo("POST");
      assertThat(x.body()).isEqualTo("AGENTS.md: be helpful");
    });
    post("/api/approvals/" + mem.approvalIdOrNull() + "/grant", "{\"scope\":\"once\"}");
    assertThat(rt.memory().index().search("collector", 10)).singleElement()
        .satisfies(e -> assertThat(e.label().isTainted()).isTrue());
    assertThat(json.readValue(get("/api/approvals"), List.class)).isEmpty();

    AuditVerifier.Result v = AuditVerifier.verify(rt.audit().store(), rt.audit().key().publicKey(),
        AuditHead.readOrNull(rt.home().auditHead()));
    assertThat(v.ok()).as(v.summary()).isTrue();
  }

  @Test
  void sameActions_fromAnOwnerOnlyContext_areAllowed() throws Exception {
    AgentSession s = rt.session("s-owner", Principal.owner(), "test");
    TurnResult r = rt.loop().run(s, "Please remember this", Label.owner(), TurnListener.NONE);
    assertThat(r.actions()).extracting(ActionReport::tool).containsExactly("memory_write", "http_request");
    assertThat(r.actions()).allSatisfy(a -> {
      assertThat(a.decision()).isEqualTo("allow");
      assertThat(a.executed()).isTrue();
    });
    assertThat(collector.received).singleElement().extracting(LoopbackHttp.Received::path).isEqualTo("/owner");
    assertThat(Files.readString(dir.resolve("home/workspace/MEMORY.md"))).contains("short summaries");
  }

  @Test
  void tokenInUrl_isRefused_andAudited() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.origin() + "/api/status?token=" + token)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(rt.audit().store().tail(5)).anyMatch(x -> "token_in_url_refused".equals(x.body().get("name")));
  }

  @Test
  void missingAuth_isRefused() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.origin() + "/api/approvals")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void auditVerify_failsAfterASingleByteChangeInStateDb() throws Exception {
    AgentSession s = rt.session("s-owner", Principal.owner(), "test");
    rt.loop().run(s, "Please remember this", Label.owner(), TurnListener.NONE);
    try (Statement st = rt.db().connection().createStatement()) {
      st.executeUpdate("UPDATE audit SET body = replace(body, 'memory_write', 'memory_wrote') WHERE seq = "
          + "(SELECT min(seq) FROM audit WHERE body LIKE '%memory_write%')");
    }
    AuditVerifier.Result v = AuditVerifier.verify(rt.audit().store(), rt.audit().key().publicKey(),
        AuditHead.readOrNull(rt.home().auditHead()));
    assertThat(v.ok()).isFalse();
    assertThat(v.summary()).contains("record");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.origin() + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private String post(String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.origin() + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
