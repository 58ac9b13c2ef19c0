package dev.warden.registry.client;

import dev.warden.registry.pkg.PublisherKeyPair;
import dev.warden.registry.pkg.SkillPackage;
import dev.warden.registry.pkg.SkillPacker;
import dev.warden.registry.pkg.TestSkills;
import dev.warden.registry.server.RegistryServer;
import dev.warden.registry.tlog.LogMonitor;
import dev.warden.registry.trust.TrustEvent;
import dev.warden.registry.trust.TrustStore;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** A real registry on 127.0.0.1 with a real SQLite file, and one client with its own state. */
public final class RegistryFixture implements AutoCloseable {
  public final Path dir;
  public RegistryServer server;
  public final List<TrustEvent> trustEvents = new ArrayList<>();
  public final TrustStore trust;
  public final LogMonitor monitor;
  public RegistryClient client;

  public RegistryFixture(Path dir) throws Exception {
    this.dir = dir;
    server = RegistryServer.start(0, dir.resolve("server"));
    trust = TrustStore.open(dir.resolve("client/trust.json"), TrustStore.Mode.TRUST_ON_FIRST_USE, InstantSource.system(), trustEvents::add);
    monitor = LogMonitor.open(dir.resolve("client/log-state.json"), server.baseUri().toString(), null);
    client = new RegistryClient(server.baseUri(), trust, monitor);
  }

  /** Restarts the server on the same data (new port); the client keeps its trust store and log state. */
  public void restart() throws Exception {
    server.close();
    server = RegistryServer.start(0, dir.resolve("server"));
    client = new RegistryClient(server.baseUri(), trust, monitor);
  }

  public SkillPackage pack(String name, String version, PublisherKeyPair key) throws Exception {
    Path folder = TestSkills.skill(dir.resolve("src/" + name + "-" + version + "-" + System.nanoTime()), name, "The " + name + " skill, version " + version);
    return SkillPacker.packAndSign(folder, name, version, "The " + name + " skill", key);
  }

  @Override
  public void close() {
    server.close();
  }
}
