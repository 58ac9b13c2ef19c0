package dev.warden.cli;

import dev.warden.kernel.WardenHome;
import dev.warden.vault.HostPattern;
import dev.warden.vault.Secret;
import dev.warden.vault.SecretMetadata;
import dev.warden.vault.Vault;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden secrets add|list|rotate|suspend|resume|remove}. Values are read from standard
 * input or a hidden prompt, never from the command line (argv is visible to every local user and
 * ends up in shell history).
 */
@Command(name = "secrets", description = "Manage vault credentials (values never on the command line).",
    subcommands = {SecretsCommand.Add.class, SecretsCommand.ListCmd.class, SecretsCommand.Rotate.class,
        SecretsCommand.Suspend.class, SecretsCommand.Resume.class, SecretsCommand.Remove.class})
public final class SecretsCommand {

  static Vault open(WardenHome h) throws Exception {
    // A gateway watching this home must not take our vault write for an out-of-band edit.
    dev.warden.monitor.integrity.IntegrityWatch.expectUnderFromOtherProcess(h, h.vault(), java.time.Duration.ofMinutes(2));
    return Vault.openInHome(h.root(), System.getenv());
  }

  static Secret readValue(String name) throws Exception {
    Console c = System.console();
    String v;
    if (c != null) {
      char[] chars = c.readPassword("value for %s (hidden): ", name);
      v = chars == null ? "" : new String(chars);
    } else {
      v = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("no value given for " + name + " (type it at the prompt or pipe it on standard input)");
    }
    return Secret.ofUtf8(v.strip());
  }

  @Command(name = "add", description = "Add a secret bound to hosts; the value comes from stdin or a hidden prompt.")
  static final class Add implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--host", paramLabel = "PATTERN", required = true, description = "Host the secret may be sent to (repeatable; *.example.com allowed)")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--scope", paramLabel = "S", description = "Scope the secret grants (repeatable, informational)")
    List<String> scopes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Vault v = open(home.resolve());
      SecretMetadata m = v.add(name, readValue(name), hosts.stream().map(HostPattern::of).toList(), scopes);
      System.out.println("added " + m.name() + " bound to " + m.hosts() + "; sandboxes and the model see only " + Vault.placeholder(name));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List secrets (names, bindings, dates; never values).")
  static final class ListCmd implements Callable<Integer> {
    @Mixin HomeOption home;

    @Override
    public Integer call() throws Exception {
      List<SecretMetadata> all = open(home.resolve()).list();
      if (all.isEmpty()) {
        System.out.println("no secrets");
      }
      for (SecretMetadata m : all) {
        System.out.println(m.name() + (m.suspended() ? "  [SUSPENDED]" : "") + "  hosts " + m.hosts() + "  scopes " + m.scopes()
            + "  created " + m.created() + (m.rotatedOrNull() == null ? "" : "  rotated " + m.rotatedOrNull())
            + (m.lastUsedOrNull() == null ? "  never used" : "  last used " + m.lastUsedOrNull()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "rotate", description = "Replace a secret's value (from stdin or a hidden prompt).")
  static final class Rotate implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      open(home.resolve()).rotate(name, readValue(name));
      System.out.println("rotated " + name);
      return ExitCodes.OK;
    }
  }

  @Command(name = "suspend", description = "Stop a secret from being injected anywhere.")
  static final class Suspend implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      open(home.resolve()).suspend(name);
      System.out.println("suspended " + name);
      return ExitCodes.OK;
    }
  }

  @Command(name = "resume", description = "Re-enable a suspended secret.")
  static final class Resume implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      open(home.resolve()).resume(name);
      System.out.println("resumed " + name);
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", description = "Delete a secret.")
  static final class Remove implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      boolean removed = open(home.resolve()).remove(name);
      System.out.println(removed ? "removed " + name : "no secret named " + name);
      return removed ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
