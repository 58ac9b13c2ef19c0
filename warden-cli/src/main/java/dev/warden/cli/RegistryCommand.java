package dev.warden.cli;

import dev.warden.agent.skills.SkillInstallExecutor;
import dev.warden.registry.client.PublishResult;
import dev.warden.registry.client.RegistryClient;
import dev.warden.registry.pkg.InstallPolicy;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.server.RegistryServer;
import dev.warden.registry.server.RegistryTokens;
import dev.warden.registry.tlog.LogMonitor;
import dev.warden.registry.trust.TrustStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warden registry serve|publish}: run a skill registry, publish a signed package to one. */
@Command(name = "registry", description = "Run a skill registry, or publish a package to one.",
    subcommands = {RegistryCommand.Serve.class, RegistryCommand.Publish.class})
public final class RegistryCommand implements Runnable {
  /** Default port of {@code warden registry serve}. */
  public static final int DEFAULT_PORT = 8790;

  @Override
  public void run() {
    System.err.println("warden registry: give a subcommand: serve, publish");
  }

  @Command(name = "serve", description = "Serve a registry on 127.0.0.1 (prints a publish token on first start).")
  public static final class Serve implements Callable<Integer> {
    @Mixin HomeOption home;
    @Option(names = "--port", paramLabel = "N") int port = DEFAULT_PORT;
    @Option(names = "--data", paramLabel = "DIR", description = "Registry data (default: WARDEN_HOME/registry-server)") Path data;

    @Override
    public Integer call() throws Exception {
      Path dir = data != null ? data : home.resolve().root().resolve("registry-server");
      boolean first = !Files.exists(dir.resolve(RegistryTokens.FILE_NAME));
      try (RegistryServer server = RegistryServer.start(port, dir)) {
        System.out.println("registry at " + server.baseUri() + " (data " + dir + ")");
        System.out.println("log key " + server.logKey().fingerprint());
        if (first) {
          System.out.println("publish token (shown once): " + server.issueToken("owner"));
        }
        Thread.currentThread().join();
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "publish", description = "Publish a signed package (.tar with its manifest and signature beside it).")
  public static final class Publish implements Callable<Integer> {
    @Mixin HomeOption home;
    @Parameters(paramLabel = "PKG") Path pkg;
    @Option(names = "--registry", required = true, paramLabel = "URL") URI registry;
    @Option(names = "--token", required = true, paramLabel = "T") String token;

    @Override
    public Integer call() throws Exception {
      Path root = home.resolve().root();
      TrustStore trust = TrustStore.open(root.resolve(SkillInstallExecutor.TRUST_FILE), TrustStore.Mode.TRUST_ON_FIRST_USE,
          InstantSource.system(), e -> {});
      LogMonitor monitor = LogMonitor.open(LogMonitor.stateFileFor(root.resolve(SkillInstallExecutor.LOG_STATE_DIR), registry),
          InstallPolicy.normalize(registry), null);
      PublishResult r = new RegistryClient(registry, trust, monitor).publish(SkillPackage.readFrom(pkg), token);
      System.out.println("published " + r.slug() + "@" + r.version().version() + (r.created() ? " (new skill)" : ""));
      return ExitCodes.OK;
    }
  }
}
