package dev.warden.kernel;

import java.util.List;
import java.util.Optional;

/** Where approval requests are kept, so the CLI, the API and the web chat all see the same list. */
public interface ApprovalStore {
  void save(ApprovalRequest request);

  Optional<ApprovalRequest> get(String id);

  List<ApprovalRequest> pending();

  /** Newest first, at most {@code limit}. */
  List<ApprovalRequest> recent(int limit);

  final class InMemory implements ApprovalStore {
    private final java.util.Map<String, ApprovalRequest> byId = new java.util.LinkedHashMap<>();

    @Override
    public synchronized void save(ApprovalRequest r) {
      byId.put(r.id(), r);
    }

    @Override
    public synchronized Optional<ApprovalRequest> get(String id) {
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<ApprovalRequest> pending() {
      return byId.values().stream().filter(ApprovalRequest::pending).toList();
    }

    @Override
    public synchronized List<ApprovalRequest> recent(int limit) {
      List<ApprovalRequest> all = new java.util.ArrayList<>(byId.values());
      java.util.Collections.reverse(all);
      return all.stream().limit(limit).toList();
    }
  }
}
