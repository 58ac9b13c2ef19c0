package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.kernel.ApprovalRequest;
import dev.warden.kernel.GrantScope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteApprovalStoreTest {
  @TempDir Path dir;

  @Test
  void roundTrip_andPendingFilter() throws Exception {
    try (StateDb db = StateDb.open(dir.resolve("state.db"))) {
      SqliteApprovalStore s = new SqliteApprovalStore(db);
      ApprovalRequest r = new ApprovalRequest("apr-1", "s1", "owner:owner", "memory_write", "MEMORY.md", "remember x",
          "session read untrusted content from web:evil.test", "ask-tainted-memory", new TreeSet<>(List.of("web:evil.test")),
          Map.of("file", "MEMORY.md"), "+x", List.of(GrantScope.values()), Instant.parse("2026-11-26T10:00:00Z"),
          Instant.parse("2026-11-26T10:30:00Z"), ApprovalRequest.Status.PENDING, null, null, "g");
      s.save(r);
      assertThat(s.get("apr-1")).contains(r);
      assertThat(s.pending()).hasSize(1);
      s.save(r.withStatus(ApprovalRequest.Status.GRANTED, "owner:owner", Instant.parse("2026-11-26T10:01:00Z")));
      assertThat(s.pending()).isEmpty();
      assertThat(s.recent(5)).singleElement().extracting(ApprovalRequest::status).isEqualTo(ApprovalRequest.Status.GRANTED);
    }
  }
}
