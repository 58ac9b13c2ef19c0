package dev.warden.cli;

import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.ApprovalRequest;
import dev.warden.kernel.GrantScope;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.WardenHome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden approvals list|grant ID|deny ID}. Goes through the running gateway when there is one. */
@Command(name = "approvals", description = "List and answer pending approval requests.",
    subcommands = {ApprovalsCommand.ListCmd.class, ApprovalsCommand.Grant.class, ApprovalsCommand.Deny.class})
public final class ApprovalsCommand {

  @Command(name = "list", description = "List pending approvals (with --all, recent ones too).")
  static final class ListCmd implements Callable<Integer> {
    @Mixin HomeOption home;

    @Option(names = "--all", description = "Include answered and expired requests")
    boolean all;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        List<ApprovalRequest> list = all ? rt.kernel().approvals().recent(50) : rt.kernel().approvals().pending();
        if (list.isEmpty()) {
          System.out.println("no pending approvals");
        }
        // Similar asks (same action toward the same destination in one session) print as one entry.
        Map<String, List<ApprovalRequest>> groups = new LinkedHashMap<>();
        for (ApprovalRequest a : list) {
          groups.computeIfAbsent(all ? a.id() : a.groupKey(), k -> new java.util.ArrayList<>()).add(a);
        }
        for (List<ApprovalRequest> g : groups.values()) {
          System.out.println(Render.approval(g.getFirst()));
          if (g.size() > 1) {
            System.out.println("    ×" + g.size() + " similar requests; answer them together with --all-similar");
          }
        }
        return ExitCodes.OK;
      }
    }
  }

  abstract static class Answer implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--all-similar", description = "Answer every pending request grouped with ID (same action, destination and session)")
    boolean allSimilar;

    abstract boolean grant();

    GrantScope scope() {
      return GrantScope.ONCE;
    }

    Duration duration() {
      return null;
    }

    @Override
    public Integer call() throws Exception {
      WardenHome h = home.resolve();
      Optional<GatewayClient> gw = GatewayClient.find(h);
      if (gw.isPresent()) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", scope().name().toLowerCase());
        if (duration() != null) {
          body.put("minutes", duration().toMinutes());
        }
        if (allSimilar) {
          body.put("group", groupOf(h, id));
          gw.get().post("/api/approvals/group/" + (grant() ? "grant" : "deny"), body);
        } else {
          gw.get().post("/api/approvals/" + id + (grant() ? "/grant" : "/deny"), body);
        }
        System.out.println((grant() ? "granted " : "denied ") + id + " (through the running gateway)");
        return ExitCodes.OK;
      }
      try (WardenRuntime rt = WardenRuntime.open(h, WardenRuntime.Options.none())) {
        SessionContext operator = new SessionContext("cli-operator", Principal.operator(), Set.of(), Label.owner());
        if (allSimilar) {
          rt.kernel().answerGroup(groupOf(h, id), grant(), scope(), duration(), operator);
        } else {
          rt.kernel().answer(id, grant(), scope(), duration(), operator);
        }
        System.out.println((grant() ? "granted " : "denied ") + id);
        return ExitCodes.OK;
      } catch (dev.warden.kernel.WardenSecurityException e) {
        System.err.println("warden: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
    }
  }

  static String groupOf(WardenHome h, String id) throws Exception {
    try (dev.warden.store.StateDb db = dev.warden.store.StateDb.open(h.stateDb())) {
      return new dev.warden.store.SqliteApprovalStore(db).get(id)
          .orElseThrow(() -> new IllegalArgumentException("no approval request " + id)).groupKey();
    }
  }

  @Command(name = "grant", description = "Approve a pending action.")
  static final class Grant extends Answer {
    @Option(names = "--session", description = "Also allow the same action toward the same destination for the rest of that session")
    boolean session;

    @Option(names = "--minutes", paramLabel = "N", description = "Also allow the same action toward the same destination for N minutes")
    Long minutes;

    boolean grant() {
      return true;
    }

    GrantScope scope() {
      return minutes != null ? GrantScope.FOR_DURATION : session ? GrantScope.SESSION : GrantScope.ONCE;
    }

    Duration duration() {
      return minutes == null ? null : Duration.ofMinutes(minutes);
    }
  }

  @Command(name = "deny", description = "Refuse a pending action.")
  static final class Deny extends Answer {
    boolean grant() {
      return false;
    }
  }
}
