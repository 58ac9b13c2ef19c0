package dev.warden.cli;

import dev.warden.gateway.WardenRuntime;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.trust.TrustStore;
import dev.warden.registry.trust.TrustedKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden trust list|add|revoke}: the publisher keys in WARDEN_HOME/trust.json (each change is a skill event). */
@Command(name = "trust", description = "List, trust and revoke skill publisher keys.",
    subcommands = {TrustCommand.ListKeys.class, TrustCommand.Add.class, TrustCommand.Revoke.class})
public final class TrustCommand implements Runnable {
  @Override
  public void run() {
    System.err.println("warden trust: give a subcommand: list, add, revoke");
  }

  @Command(name = "list", description = "List publisher keys: trusted, pinned on first use, revoked.")
  public static final class ListKeys implements Callable<Integer> {
    @Mixin HomeOption home;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        TrustStore t = rt.skillInstalls().trustStore(null);
        System.out.println("mode: " + t.mode().name().toLowerCase(java.util.Locale.ROOT));
        for (TrustedKey k : t.keys()) {
          System.out.println("  " + SkillsCommand.describeKey(k));
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "add", description = "Trust a publisher key explicitly (a PUBLISHER.pub.json from `warden skills keygen`).")
  public static final class Add implements Callable<Integer> {
    @Mixin HomeOption home;
    @Parameters(paramLabel = "PUBKEY.json") Path file;

    @Override
    public Integer call() throws Exception {
      PublisherKey key = PublisherKeyPair.readPublicKey(file);
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        rt.skillInstalls().trustStore(null).trust(key);
        System.out.println("trusted " + key.publisher() + " key " + key.keyId() + " (fingerprint " + key.fingerprint() + ")");
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "revoke", description = "Revoke a publisher key: packages signed with it no longer verify.")
  public static final class Revoke implements Callable<Integer> {
    @Mixin HomeOption home;
    @Parameters(paramLabel = "KEY_ID") String keyId;
    @Option(names = "--reason", required = true) String reason;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        rt.skillInstalls().trustStore(null).revoke(keyId, reason);
        System.out.println("revoked " + keyId + ": " + reason);
        return ExitCodes.OK;
      }
    }
  }
}
