package dev.warden.cli;

import dev.warden.agent.ActionReport;
import dev.warden.agent.AgentSession;
import dev.warden.agent.TurnListener;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code warden chat}: an interactive terminal chat in-process. */
@Command(name = "chat", description = "Chat with the agent in the terminal (in-process; /quit to leave).")
public final class ChatCommand implements Callable<Integer> {
  @Mixin HomeOption home;

  @Option(names = "--model", paramLabel = "SPEC", description = "Model spec")
  String model;

  @Option(names = "--allow-host", paramLabel = "HOST", description = "Let the destination guard pass this private/loopback host (audited)")
  List<String> allowHosts = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try (WardenRuntime rt = WardenRuntime.open(home.resolve(), new WardenRuntime.Options(model, allowHosts, null))) {
      AgentSession s = rt.session("chat-" + Long.toHexString(System.currentTimeMillis()), Principal.owner(), "cli");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      System.out.println("Warden chat · session " + s.id() + " · /quit to leave, /approvals to list pending approvals");
      while (true) {
        System.out.print("you> ");
        System.out.flush();
        String line = in.readLine();
        if (line == null || line.strip().equals("/quit")) {
          return ExitCodes.OK;
        }
        if (line.strip().equals("/approvals")) {
          rt.kernel().approvals().pending().forEach(a -> System.out.println(Render.approval(a)));
          continue;
        }
        if (line.isBlank()) {
          continue;
        }
        rt.loop().run(s, line, Label.owner(), new TurnListener() {
          @Override
          public void onTextDelta(String delta) {
            System.out.print(delta);
          }

          @Override
          public void onAction(ActionReport r) {
            System.out.println("\n" + Render.action(r));
          }

          @Override
          public void onReply(String text) {
            System.out.println("\nagent> " + text);
          }
        });
      }
    }
  }
}
