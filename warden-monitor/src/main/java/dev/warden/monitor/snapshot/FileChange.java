package dev.warden.monitor.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * One changed path between two states and what the audit log says about it.
 *
 * @param path a home-relative path, {@code cron:NAME} for a cron job, {@code credential:NAME} for a
 *     credential binding
 * @param kind added, removed or modified
 * @param detail one line: sizes, hashes, mode change, or why it is unexplained
 * @param textDiffOrNull a unified diff when both sides are text (and not too large)
 * @param attribution explained, indirect or unexplained
 * @param explainedBy the audit records that account for it (direct ones first)
 */
public record FileChange(String path, ChangeKind kind, String detail, String textDiffOrNull, Attribution attribution,
    List<AuditRef> explainedBy) {

  public FileChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(attribution, "attribution");
    explainedBy = List.copyOf(explainedBy);
  }

  public boolean unexplained() {
    return attribution == Attribution.UNEXPLAINED;
  }
}
