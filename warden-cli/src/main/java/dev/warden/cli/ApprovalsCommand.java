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
        list.forEach(a -> System.out.println(Render.approval(a)));
        return ExitCodes.OK;
      }
    }
  }

  abstract static class Answer implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID")
    String id;

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
        gw.get().post("/api/approvals/" + id + (grant() ? "/grant" : "/deny"), body);
        System.out.println((grant() ? "granted " : "denied ") + id + " (through the running gateway)");
        return ExitCodes.OK;
      }
      try (WardenRuntime rt = WardenRuntime.open(h, WardenRuntime.Options.none())) {
        rt.kernel().answer(id, grant(), scope(), duration(),
            new SessionContext("cli-operator", Principal.operator(), Set.of(), Label.owner()));
        System.out.println((grant() ? "granted " : "denied ") + id);
        return ExitCodes.OK;
      } catch (dev.warden.kernel.WardenSecurityException e) {
        System.err.println("warden: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
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
