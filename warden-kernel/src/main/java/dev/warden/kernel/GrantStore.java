package dev.warden.kernel;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Standing grants created by scoped approvals. */
public interface GrantStore {
  void add(Grant grant);

  Optional<Grant> match(Action action, SessionContext session, Instant now);

  List<Grant> all();

  void clear();

  final class InMemory implements GrantStore {
    private final List<Grant> grants = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void add(Grant g) {
      grants.add(g);
    }

    @Override
    public Optional<Grant> match(Action action, SessionContext session, Instant now) {
      return grants.stream().filter(g -> g.matches(action, session, now)).findFirst();
    }

    @Override
    public List<Grant> all() {
      return List.copyOf(grants);
    }

    @Override
    public void clear() {
      grants.clear();
    }
  }
}
