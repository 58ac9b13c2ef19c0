package dev.warden.cli;

import dev.warden.gateway.GatewayAuth;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code warden token reset}: a new gateway token (the old one stops working; restart a running gateway). */
@Command(name = "token", description = "Manage the gateway token.", subcommands = {TokenCommand.Reset.class})
public final class TokenCommand {
  @Command(name = "reset", description = "Make a new gateway token and print it once (only its hash is stored).")
  static final class Reset implements Callable<Integer> {
    @Mixin HomeOption home;

    @Override
    public Integer call() throws Exception {
      dev.warden.monitor.integrity.IntegrityWatch.expectUnderFromOtherProcess(home.resolve(), home.resolve().keys(),
          java.time.Duration.ofMinutes(2));
      GatewayAuth auth = new GatewayAuth(home.resolve().keys(), InstantSource.system());
      auth.initialise();
      System.out.println(auth.resetToken());
      System.err.println("new gateway token above (shown once); restart a running gateway to apply it");
      return ExitCodes.OK;
    }
  }
}
