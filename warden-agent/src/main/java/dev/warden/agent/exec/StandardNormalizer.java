package dev.warden.agent.exec;

import dev.warden.egress.Destination;
import dev.warden.egress.DestinationDeniedException;
import dev.warden.egress.DestinationGuard;
import dev.warden.kernel.Action;
import dev.warden.kernel.Facts;
import dev.warden.kernel.Normalizer;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenSecurityException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Step 1 of the kernel for Warden's own actions: canonical workspace paths, the resolved and pinned
 * destination of every egress request, and the facts the default policy decides on.
 *
 * <p>Threats: the model names paths and URLs; it never gets to name the checked address. A path
 * that escapes the workspace is not thrown out here but marked {@code inside_workspace=false}, so
 * that the policy's deny (with its rule id) is what the audit log shows.
 */
public final class StandardNormalizer implements Normalizer {

  /** Commands that only read: allowed from a tainted context without asking. */
  public static final Set<String> READ_ONLY_COMMANDS = Set.of("ls", "cat", "head", "tail", "wc", "grep", "find", "echo",
      "pwd", "date", "stat", "file", "sort", "uniq", "diff", "du", "df", "true", "whoami", "id", "uname", "cut", "tr",
      "sha256sum", "md5sum", "basename", "dirname", "realpath", "jq");

  private final Workspace workspace;
  private final DestinationGuard guard;
  private final String ownerId;
  private final BiPredicate<String, String> credentialBoundToHost;

  public StandardNormalizer(Workspace workspace, DestinationGuard guard, String ownerId,
      BiPredicate<String, String> credentialBoundToHost) {
    this.workspace = workspace;
    this.guard = guard;
    this.ownerId = ownerId;
    this.credentialBoundToHost = credentialBoundToHost;
  }

  public DestinationGuard guard() {
    return guard;
  }

  @Override
  public Normalized normalize(Action action, SessionContext session) throws WardenSecurityException {
    Map<String, Object> f = new LinkedHashMap<>();
    Action out = switch (action) {
      case Action.FileRead r -> new Action.FileRead(path(r.path(), f));
      case Action.FileList l -> new Action.FileList(path(l.path(), f));
      case Action.FileWrite w -> {
        String p = path(w.path(), f);
        f.put(Facts.INSTRUCTION_FILE, Workspace.isInstructionFile(p));
        f.put(Facts.MEMORY_FILE, Workspace.isMemoryFile(p));
        yield new Action.FileWrite(p, w.content(), Boolean.TRUE.equals(f.get(Facts.INSIDE_WORKSPACE)) ? previous(p) : null);
      }
      case Action.MemoryWrite m -> {
        f.put(Facts.MEMORY_FILE, true);
        f.put(Facts.INSIDE_WORKSPACE, true);
        yield m;
      }
      case Action.Egress e -> egress(e, session, f);
      case Action.MessageSend m -> {
        f.put(Facts.RECIPIENT_IS_OWNER, m.recipient().equals("owner") || m.recipient().equals(ownerId));
        yield m;
      }
      case Action.Exec x -> {
        String prog = Path.of(x.argv().getFirst()).getFileName().toString();
        f.put(Facts.READ_ONLY_COMMAND, READ_ONLY_COMMANDS.contains(prog) && !x.network());
        yield x;
      }
      case Action.CredentialUse c -> {
        f.put(Facts.CREDENTIAL_BOUND_TO_HOST, credentialBoundToHost.test(c.credential(), c.host()));
        yield c;
      }
      default -> action;
    };
    return new Normalized(out, f);
  }

  private String path(String raw, Map<String, Object> facts) {
    if (raw.equals(".") || raw.equals("./")) {
      facts.put(Facts.INSIDE_WORKSPACE, true);
      return ".";
    }
    try {
      String rel = workspace.relative(workspace.resolve(raw));
      facts.put(Facts.INSIDE_WORKSPACE, true);
      return rel.isEmpty() ? "." : rel;
    } catch (WardenSecurityException e) {
      facts.put(Facts.INSIDE_WORKSPACE, false);
      facts.put("path_problem", e.getMessage());
      return raw;
    }
  }

  private String previous(String rel) {
    try {
      Path p = workspace.resolve(rel);
      return Files.isRegularFile(p) && Files.size(p) < 1_000_000 ? Files.readString(p, StandardCharsets.UTF_8) : null;
    } catch (IOException | WardenSecurityException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  /**
   * Egress facts without resolving DNS: a name chosen by untrusted content
   * ({@code <data>.attacker.example}) must not be looked up before the kernel has allowed the
   * request, because the lookup itself reaches the attacker. IP literals are classified now and
   * pinned; names are classified by the executor's (or the proxy's) single guarded lookup after the
   * decision, and a non-public answer is refused there and recorded.
   */
  private Action egress(Action.Egress e, SessionContext session, Map<String, Object> f) {
    f.put(Facts.HAS_BODY, e.bodyOrNull() != null && !e.bodyOrNull().isEmpty());
    f.put(Facts.URL_IN_SESSION, session.hasSeen(e.url().toString()));
    f.put("method", e.method());
    try {
      Optional<Destination> literal = guard.precheck(e.host(), e.port());
      if (literal.isPresent()) {
        f.put(Facts.DESTINATION, literal.get().addressClass().label());
        f.put(Facts.DESTINATION_ALLOWED_BY_OPERATOR, literal.get().allowlisted());
        return e.pinnedTo(literal.get().address().getHostAddress());
      }
      f.put(Facts.DESTINATION, "public");
      f.put(Facts.DESTINATION_ALLOWED_BY_OPERATOR, false);
      f.put("destination_checked_at", "connect");
      return e;
    } catch (DestinationDeniedException ex) {
      f.put(Facts.DESTINATION, ex.addressClass().label());
      f.put(Facts.DESTINATION_ALLOWED_BY_OPERATOR, false);
      f.put("destination_problem", ex.getMessage());
      return e;
    }
  }
}
