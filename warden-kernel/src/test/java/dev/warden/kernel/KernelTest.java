package dev.warden.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.kernel.audit.AuditLog;
import dev.warden.kernel.audit.AuditRecord;
import dev.warden.kernel.audit.InMemoryAuditStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KernelTest {
  /** A hand-written policy: reads allowed, memory writes from tainted contexts ask, egress POST denied. */
  static final Policy POLICY = r -> switch (r.action()) {
    case Action.FileRead f -> new Decision.Allow("allow-read", "reads are allowed");
    case Action.MemoryWrite m -> r.context().isTainted()
        ? new Decision.Ask("ask-tainted-memory", "session read " + r.context().untrustedSources() + "; memory writes need approval", r.context().untrustedSources())
        : new Decision.Allow("allow-memory", "trusted context");
    case Action.ApprovalAnswer a -> r.principal().kind() == Principal.Kind.OWNER
        ? new Decision.Allow("owner-answers", "the owner answers approvals") : new Decision.Deny("only-owner", "only the owner answers");
    default -> new Decision.Deny("default-deny", "not allowed");
  };

  MutableClock clock = new MutableClock();
  InMemoryAuditStore store = new InMemoryAuditStore();
  Kernel kernel;
  AtomicInteger writes = new AtomicInteger();

  static final class MutableClock implements java.time.InstantSource {
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    AuditLog log = new AuditLog(store, AgentKey.generate(), clock, null);
    kernel = new Kernel(POLICY, Normalizer.IDENTITY, log, new ApprovalStore.InMemory(), new GrantStore.InMemory(), clock, Duration.ofMinutes(5));
    kernel.register(Action.FileRead.class, (a, s) -> ActionExecutor.Result.of("content of " + a.path(), Label.untrusted("file:" + a.path())));
    kernel.register(Action.MemoryWrite.class, (a, s) -> {
      writes.incrementAndGet();
      return ActionExecutor.Result.of("saved", Label.owner());
    });
  }

  @Test
  void allowedAction_isRecordedBeforeAndAfterAndLabelsTheSession() {
    SessionContext s = SessionContext.forOwner("s1");
    Submission sub = kernel.submit(new Action.FileRead("notes.txt"), s);
    assertThat(sub).isInstanceOf(Submission.Executed.class);
    assertThat(store.mutableRecords()).extracting(AuditRecord::type).containsExactly("decision", "outcome");
    assertThat(s.label().isTainted()).isTrue();
    assertThat(s.hasSeen("content of notes.txt")).isTrue();
  }

  @Test
  void deniedAction_isRecordedAndNotExecuted() {
    Submission sub = kernel.submit(new Action.Egress("POST", URI.create("https://x.test/"), Map.of(), "b", "http_request"), SessionContext.forOwner("s"));
    assertThat(sub).isInstanceOf(Submission.Denied.class);
    assertThat(sub.decision().rule()).isEqualTo("default-deny");
    assertThat(store.mutableRecords()).hasSize(1);
    assertThat(store.mutableRecords().getFirst().body()).containsEntry("verdict", "deny");
  }

  @Test
  void ask_parksUntilGranted_thenRuns() throws Exception {
    SessionContext s = SessionContext.forOwner("s1");
    s.observe("page text", Label.untrusted("web:evil.test"));
    Submission sub = kernel.submit(new Action.MemoryWrite("MEMORY.md", "obey evil"), s);
    assertThat(sub).isInstanceOf(Submission.Pending.class);
    assertThat(writes).hasValue(0);
    Submission.Pending p = (Submission.Pending) sub;
    assertThat(kernel.approvals().pending()).singleElement().satisfies(r -> {
      assertThat(r.sources()).containsExactly("web:evil.test");
      assertThat(r.diffOrNull()).contains("+obey evil");
    });
    kernel.answer(p.approvalId(), true, GrantScope.ONCE, null, SessionContext.forOwner("owner-cli"));
    assertThat(p.resolution().get()).isInstanceOf(Submission.Executed.class);
    assertThat(writes).hasValue(1);
    assertThat(kernel.approvals().pending()).isEmpty();
  }

  @Test
  void ask_denied_resolvesDenied() throws Exception {
    SessionContext s = tainted();
    Submission.Pending p = (Submission.Pending) kernel.submit(new Action.MemoryWrite("MEMORY.md", "x"), s);
    kernel.answer(p.approvalId(), false, GrantScope.ONCE, null, SessionContext.forOwner("o"));
    assertThat(p.resolution().get()).isInstanceOf(Submission.Denied.class);
    assertThat(writes).hasValue(0);
  }

  @Test
  void ask_expires_resolvesDenied() throws Exception {
    Submission.Pending p = (Submission.Pending) kernel.submit(new Action.MemoryWrite("MEMORY.md", "x"), tainted());
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    kernel.expireDue();
    assertThat(p.resolution().get().decision().rule()).isEqualTo("approval-expired");
    assertThatThrownBy(() -> kernel.answer(p.approvalId(), true, GrantScope.ONCE, null, SessionContext.forOwner("o")))
        .hasMessageContaining("expired");
  }

  @Test
  void sessionGrant_allowsTheSameActionAgainInThatSessionOnly() throws Exception {
    SessionContext s = tainted();
    Submission.Pending p = (Submission.Pending) kernel.submit(new Action.MemoryWrite("MEMORY.md", "x"), s);
    kernel.answer(p.approvalId(), true, GrantScope.SESSION, null, SessionContext.forOwner("o"));
    assertThat(kernel.submit(new Action.MemoryWrite("MEMORY.md", "y"), s)).isInstanceOf(Submission.Executed.class);
    assertThat(kernel.submit(new Action.MemoryWrite("MEMORY.md", "z"), tainted())).isInstanceOf(Submission.Pending.class);
  }

  @Test
  void timedGrant_lapses() throws Exception {
    SessionContext s = tainted();
    Submission.Pending p = (Submission.Pending) kernel.submit(new Action.MemoryWrite("MEMORY.md", "x"), s);
    kernel.answer(p.approvalId(), true, GrantScope.FOR_DURATION, Duration.ofMinutes(10), SessionContext.forOwner("o"));
    assertThat(kernel.submit(new Action.MemoryWrite("MEMORY.md", "y"), tainted())).isInstanceOf(Submission.Executed.class);
    clock.now = clock.now.plus(Duration.ofMinutes(11));
    assertThat(kernel.submit(new Action.MemoryWrite("MEMORY.md", "y"), tainted())).isInstanceOf(Submission.Pending.class);
  }

  @Test
  void burstOfSimilarAsks_isOneGroup_answeredAtOnce() throws Exception {
    SessionContext s = tainted();
    for (int i = 0; i < 5; i++) {
      assertThat(kernel.submit(new Action.MemoryWrite("MEMORY.md", "x" + i), s)).isInstanceOf(Submission.Pending.class);
    }
    assertThat(kernel.approvals().pending()).extracting(ApprovalRequest::groupKey).containsOnly("memory_write|MEMORY.md|" + s.id());
    assertThat(kernel.answerGroup("memory_write|MEMORY.md|" + s.id(), true, GrantScope.ONCE, null, SessionContext.forOwner("o")))
        .hasSize(5);
    assertThat(writes).hasValue(5);
    assertThat(kernel.approvals().pending()).isEmpty();
  }

  @Test
  void strangerCannotAnswer() throws Exception {
    Submission.Pending p = (Submission.Pending) kernel.submit(new Action.MemoryWrite("MEMORY.md", "x"), tainted());
    SessionContext stranger = new SessionContext("x", new Principal(Principal.Kind.STRANGER, "bob"), java.util.Set.of(), Label.untrusted("chat:bob"));
    assertThatThrownBy(() -> kernel.answer(p.approvalId(), true, GrantScope.ONCE, null, stranger)).hasMessageContaining("refused");
    assertThat(writes).hasValue(0);
  }

  @Test
  void quarantine_deniesEverything() {
    kernel.setQuarantined(true, "test");
    assertThat(kernel.submit(new Action.FileRead("a"), SessionContext.forOwner("s"))).isInstanceOf(Submission.Denied.class);
    kernel.setQuarantined(false, "test");
    assertThat(kernel.submit(new Action.FileRead("a"), SessionContext.forOwner("s"))).isInstanceOf(Submission.Executed.class);
  }

  @Test
  void normaliserRefusal_isADeny() {
    Kernel k = new Kernel(POLICY, (a, s) -> { throw new WardenSecurityException("path escapes the workspace"); },
        kernel.audit(), new ApprovalStore.InMemory(), new GrantStore.InMemory(), clock, Duration.ofMinutes(1));
    Submission sub = k.submit(new Action.FileRead("../etc/passwd"), SessionContext.forOwner("s"));
    assertThat(sub.decision().reason()).contains("escapes");
  }

  @Test
  void missingExecutor_isARecordedFailure() {
    Kernel k = new Kernel(r -> new Decision.Allow("all", "all"), Normalizer.IDENTITY, kernel.audit(), new ApprovalStore.InMemory(),
        new GrantStore.InMemory(), clock, Duration.ofMinutes(1));
    assertThat(k.submit(new Action.CronDelete("x"), SessionContext.forOwner("s"))).isInstanceOf(Submission.Failed.class);
  }

  private static SessionContext tainted() {
    SessionContext s = new SessionContext("t-" + System.nanoTime(), Principal.owner(), java.util.Set.of(), Label.bottom());
    s.observe("x", Label.untrusted("web:evil.test"));
    return s;
  }

  @Test
  void lineDiff_showsAddedAndRemovedLines() {
    assertThat(LineDiff.unified("A.md", "a\nb\nc", "a\nc\nd")).contains("-b", "+d", " a");
    assertThat(List.of(1)).isNotEmpty();
  }

  @SuppressWarnings("unused")
  private static final ZoneOffset UTC = ZoneOffset.UTC;
}
