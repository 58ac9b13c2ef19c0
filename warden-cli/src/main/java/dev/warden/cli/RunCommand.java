package dev.warden.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.warden.agent.ActionReport;
import dev.warden.agent.AgentSession;
import dev.warden.agent.TurnListener;
import dev.warden.agent.TurnResult;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden run "message"}: one turn in-process, no gateway; prints each action and decision. */
@Command(name = "run", description = "Run one agent turn in-process and print each action with its decision.")
public final class RunCommand implements Callable<Integer> {
  @Mixin HomeOption home;

  @Option(names = "--model", paramLabel = "SPEC", description = "Model spec, e.g. scripted:/path/script.yaml, openai:MODEL")
  String model;

  @Option(names = "--json", description = "Print one JSON object: reply and actions")
  boolean json;

  @Option(names = "--allow-host", paramLabel = "HOST", description = "Let the destination guard pass this private/loopback host (audited)")
  List<String> allowHosts = new ArrayList<>();

  @Option(names = "--session", paramLabel = "ID", description = "Continue this session (default: a new one)")
  String session;

  @Parameters(paramLabel = "MESSAGE", description = "What to ask the agent")
  String message;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    try (WardenRuntime rt = WardenRuntime.open(home.resolve(), new WardenRuntime.Options(model, allowHosts, null))) {
      String id = session != null ? session : "run-" + Long.toHexString(System.currentTimeMillis());
      AgentSession s = rt.session(id, Principal.owner(), "cli");
      TurnListener live = json ? TurnListener.NONE : new TurnListener() {
        @Override
        public void onAction(ActionReport r) {
          out.println(Render.action(r));
        }
      };
      TurnResult result = rt.loop().run(s, message, Label.owner(), live);
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("reply", result.reply());
        List<Map<String, Object>> actions = new ArrayList<>();
        for (ActionReport r : result.actions()) {
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("tool", r.tool());
          a.put("arguments", r.arguments());
          a.put("decision", r.decision());
          a.put("rule", r.rule());
          a.put("reason", r.reason());
          a.put("sources", r.sources());
          a.put("executed", r.executed());
          if (r.approvalIdOrNull() != null) {
            a.put("approval_id", r.approvalIdOrNull());
          }
          actions.add(a);
        }
        o.put("actions", actions);
        o.put("session", id);
        out.println(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(o));
      } else {
        out.println();
        out.println(result.reply());
        out.println();
        out.println("session " + id + " · " + result.actions().size() + " action(s) · label " + s.context().label());
      }
      return ExitCodes.OK;
    }
  }
}
