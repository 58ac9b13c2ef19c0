package dev.warden.cli;

import dev.warden.agent.skills.SkillInstallExecutor;
import dev.warden.agent.skills.SkillInventory;
import dev.warden.gateway.WardenRuntime;
import dev.warden.kernel.Action;
import dev.warden.kernel.Label;
import dev.warden.kernel.Principal;
import dev.warden.kernel.SessionContext;
import dev.warden.kernel.Submission;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.registry.pkg.PackageVerifier;
import dev.warden.registry.pkg.PublisherKey;
import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.pkg.SkillPacker;
import dev.warden.registry.pkg.SkillsLock;
import dev.warden.registry.pkg.VerifiedPackage;
import dev.warden.registry.scan.ScanCli;
import dev.warden.registry.scan.ScanFormat;
import dev.warden.registry.scan.SkillScanner;
import dev.warden.registry.skill.SkillCatalog;
import dev.warden.registry.trust.TrustStore;
import dev.warden.registry.trust.TrustedKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden skills …}: scan, package, sign and verify skills; install, update and remove them
 * (through the kernel, as the operator: audited, and Ask from a tainted context); list them.
 */
@Command(name = "skills", description = "Scan, pack, sign, verify, install, update, remove and list skills.",
    subcommands = {SkillsCommand.Scan.class, SkillsCommand.Keygen.class, SkillsCommand.Pack.class, SkillsCommand.Sign.class,
        SkillsCommand.Verify.class, SkillsCommand.Install.class, SkillsCommand.Update.class, SkillsCommand.Remove.class,
        SkillsCommand.ListSkills.class})
public final class SkillsCommand implements Runnable {
  @Override
  public void run() {
    System.err.println("warden skills: give a subcommand: scan, keygen, pack, sign, verify, install, update, remove, list");
  }

  @Command(name = "scan", description = "Scan skill folders (or folders of skills) for malicious instructions and code.")
  public static final class Scan implements Callable<Integer> {
    @Option(names = "--json", description = "JSON report") boolean json;
    @Option(names = "--sarif", description = "SARIF 2.1.0 report") boolean sarif;
    @Option(names = "--quiet", description = "No progress bar") boolean quiet;
    @Parameters(paramLabel = "PATH", arity = "1..*") List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() {
      ScanFormat f = sarif ? ScanFormat.SARIF : json ? ScanFormat.JSON : ScanFormat.TEXT;
      return new ScanCli(new SkillScanner()).runScan(paths, f, System.out, quiet ? null : System.err);
    }
  }

  @Command(name = "keygen", description = "Create a publisher's Ed25519 key pair (PUBLISHER.key.pem, PUBLISHER.pub.json).")
  public static final class Keygen implements Callable<Integer> {
    @Parameters(paramLabel = "PUBLISHER") String publisher;
    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the key files (default: ./publisher-keys)")
    Path out = Path.of("publisher-keys");

    @Override
    public Integer call() throws Exception {
      if (Files.exists(PublisherKeyPair.privateKeyFile(out, publisher))) {
        System.err.println("warden skills keygen: " + PublisherKeyPair.privateKeyFile(out, publisher)
            + " exists; refusing to overwrite a key (move it away first)");
        return ExitCodes.USAGE;
      }
      PublisherKeyPair k = PublisherKeyPair.generate(publisher);
      k.save(out);
      System.out.println("publisher " + publisher + " key " + k.keyId());
      System.out.println("fingerprint " + k.publicKey().fingerprint());
      System.out.println("private key " + PublisherKeyPair.privateKeyFile(out, publisher) + " (keep secret)");
      System.out.println("public key  " + PublisherKeyPair.publicKeyFile(out, publisher) + " (give to users: warden trust add FILE)");
      return ExitCodes.OK;
    }
  }

  @Command(name = "pack", description = "Pack a skill folder into a deterministic package (signed unless --unsigned).")
  public static final class Pack implements Callable<Integer> {
    @Parameters(paramLabel = "DIR") Path dir;
    @Option(names = "--name", required = true) String name;
    @Option(names = "--version", required = true) String version;
    @Option(names = "--description") String description;
    @Option(names = "--key", paramLabel = "KEYDIR", description = "Directory holding the publisher's keys (default ./publisher-keys)")
    Path keyDir = Path.of("publisher-keys");
    @Option(names = "--publisher", required = true, paramLabel = "P") String publisher;
    @Option(names = "--unsigned", description = "Leave the signature off (sign later with `warden skills sign`)") boolean unsigned;
    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the package (default: .)") Path out = Path.of(".");

    @Override
    public Integer call() throws Exception {
      String desc = description != null ? description : name + " " + version;
      SkillPackage p = unsigned
          ? SkillPacker.pack(dir, name, version, desc, PublisherKeyPair.readPublicKey(PublisherKeyPair.publicKeyFile(keyDir, publisher)))
          : SkillPacker.packAndSign(dir, name, version, desc, PublisherKeyPair.load(keyDir, publisher));
      Path file = p.writeTo(out);
      System.out.println((p.signed() ? "signed package " : "unsigned package ") + file);
      return ExitCodes.OK;
    }
  }

  @Command(name = "sign", description = "Sign a packed skill with the publisher's key.")
  public static final class Sign implements Callable<Integer> {
    @Parameters(paramLabel = "PKG", description = "The package's .tar file") Path pkg;
    @Option(names = "--key", paramLabel = "KEYDIR") Path keyDir = Path.of("publisher-keys");
    @Option(names = "--publisher", required = true, paramLabel = "P") String publisher;

    @Override
    public Integer call() throws Exception {
      SkillPackage signed = SkillPacker.sign(SkillPackage.readFrom(pkg), PublisherKeyPair.load(keyDir, publisher));
      Path parent = pkg.toAbsolutePath().getParent();
      System.out.println("signed " + signed.writeTo(parent));
      return ExitCodes.OK;
    }
  }

  @Command(name = "verify", description = "Verify a package: manifest, archive, signature, and the publisher in your trust store.")
  public static final class Verify implements Callable<Integer> {
    @Mixin HomeOption home;
    @Parameters(paramLabel = "PKG") Path pkg;

    @Override
    public Integer call() {
      try {
        VerifiedPackage v = PackageVerifier.verifySignatureOnly(SkillPackage.readFrom(pkg));
        System.out.println("ok: " + v.name() + "@" + v.version() + " signed by " + v.manifest().publisher() + " key "
            + v.keyOrNull().keyId() + "; archive matches the signed manifest");
        TrustStore trust = TrustStore.open(home.resolve().root().resolve(SkillInstallExecutor.TRUST_FILE),
            TrustStore.Mode.EXPLICIT_ONLY, java.time.InstantSource.system(), e -> {});
        String state = trust.find(v.keyOrNull().keyId()).map(k -> k.state().name().toLowerCase(java.util.Locale.ROOT))
            .orElse("unknown (not in your trust store: `warden trust add PUBKEY.json`)");
        System.out.println("publisher key: " + state);
        return ExitCodes.OK;
      } catch (WardenSecurityException | java.io.IOException e) {
        System.err.println("warden skills verify: FAILED: " + e.getMessage());
        return ExitCodes.VERIFY_FAILED;
      }
    }
  }

  /** Submits an install/update/remove through the kernel as the operator and prints the outcome. */
  static int submit(WardenRuntime rt, Action.SkillInstall a) {
    SessionContext s = new SessionContext("skills-" + Long.toHexString(System.currentTimeMillis()), Principal.operator(), Set.of(),
        Label.owner());
    Submission sub = rt.kernel().submit(a, s);
    return switch (sub) {
      case Submission.Executed e -> {
        System.out.print(e.result().content());
        yield ExitCodes.OK;
      }
      case Submission.Denied d -> {
        System.err.println("warden: denied: " + d.decision().reason() + " [rule " + d.decision().rule() + "]");
        yield ExitCodes.DENIED;
      }
      case Submission.Pending p -> {
        System.err.println("warden: needs approval " + p.approvalId() + ": " + p.decision().reason());
        yield ExitCodes.PENDING;
      }
      case Submission.Failed f -> {
        System.err.println("warden: " + f.error());
        yield ExitCodes.FAILURE;
      }
    };
  }

  @Command(name = "install", description = "Install a skill from the registry (or a local package with --allow-local).")
  public static final class Install implements Callable<Integer> {
    @Mixin HomeOption home;
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--registry", paramLabel = "URL", description = "Registry to use (default: `registry:` in warden.yaml)") URI registry;
    @Option(names = "--version", paramLabel = "V") String version;
    @Option(names = "--allow-local", paramLabel = "PKG", description = "Install this local package file (.tar); still verified and scanned")
    Path local;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        String source = "registry";
        if (local != null) {
          rt.skillInstalls().operatorAllowLocal(local);
          source = "local:" + local.toAbsolutePath().normalize();
        } else if (registry != null) {
          rt.skillInstalls().operatorAllowRegistry(registry);
          source = registry.toString();
        }
        return submit(rt, new Action.SkillInstall("install", name, source, version));
      }
    }
  }

  @Command(name = "update", description = "Update an installed skill; a grown permission manifest needs --approve-permissions.")
  public static final class Update implements Callable<Integer> {
    @Mixin HomeOption home;
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--registry", paramLabel = "URL") URI registry;
    @Option(names = "--version", paramLabel = "V") String version;
    @Option(names = "--approve-permissions", description = "Accept the permissions the new version adds (shown by a first try)")
    boolean approve;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        String source = "registry";
        if (registry != null) {
          rt.skillInstalls().operatorAllowRegistry(registry);
          source = registry.toString();
        }
        if (approve) {
          rt.skillInstalls().operatorApprovePermissions(name);
        }
        return submit(rt, new Action.SkillInstall("update", name, source, version));
      }
    }
  }

  @Command(name = "remove", description = "Remove an installed or quarantined skill and its skills.lock entry.")
  public static final class Remove implements Callable<Integer> {
    @Mixin HomeOption home;
    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        return submit(rt, new Action.SkillInstall("remove", name, "installed", null));
      }
    }
  }

  @Command(name = "list", description = "List offered skills (vetted or not), unavailable ones with reasons, and quarantined ones.")
  public static final class ListSkills implements Callable<Integer> {
    @Mixin HomeOption home;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        SkillInventory inv = rt.skills();
        SkillCatalog cat = inv.catalog();
        System.out.println("offered:");
        for (SkillInventory.Entry e : inv.offered()) {
          System.out.println("  " + e.skill().name() + "  [" + e.skill().tier().name().toLowerCase(java.util.Locale.ROOT) + ", "
              + (e.vetted() ? "vetted: trusted text" : "unvetted: untrusted text") + "]  permissions: "
              + SkillInstallExecutor.describe(e.skill().manifest()));
        }
        System.out.println("unavailable:");
        for (SkillCatalog.Unavailable u : cat.unavailable()) {
          System.out.println("  " + u.skill().name() + "  " + String.join("; ", u.reasons()));
        }
        for (SkillCatalog.Failure f : cat.failures()) {
          System.out.println("  " + f.dir() + "  does not load: " + f.message());
        }
        System.out.println("quarantined:");
        for (SkillsLock.Entry q : inv.quarantined()) {
          System.out.println("  " + q.name() + "@" + q.version() + "  from " + q.source() + "  (publisher " + q.publisher()
              + "; `warden skills scan " + rt.skillInstalls().skillsDir().resolve(".quarantine").resolve(q.name()).resolve("content")
              + "` shows why)");
        }
        return ExitCodes.OK;
      }
    }
  }

  static String describeKey(TrustedKey k) {
    PublisherKey key = k.key();
    return key.publisher() + "  " + key.keyId() + "  " + k.state().name().toLowerCase(java.util.Locale.ROOT) + " since " + k.since()
        + (k.revocationReasonOrNull() == null ? "" : "  (" + k.revocationReasonOrNull() + ")");
  }
}
