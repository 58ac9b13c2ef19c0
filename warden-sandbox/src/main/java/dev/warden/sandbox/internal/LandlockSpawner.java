package dev.warden.sandbox.internal;

import dev.warden.sandbox.NetworkAccess;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts sandbox launchers from two dedicated platform threads that have confined themselves with
 * Landlock: one refuses all TCP bind/connect (for {@link NetworkAccess#NONE}), the other allows only
 * the proxy forwarder's port. Every process they start, bubblewrap and the sandboxed command
 * included, inherits that domain, which holds even if the network namespace were escaped.
 *
 * <p>Design notes.
 *
 * <ol>
 *   <li>Why threads, not the sandboxed process: Landlock can only be applied by a task to itself,
 *       Java has no hook between fork and exec, and a domain that handles filesystem access would
 *       forbid the mounts bubblewrap needs. A domain that handles only network and scopes leaves
 *       mount(2) alone, so it can be in force before bubblewrap starts.
 *   <li>Threats: a thread created by a confined thread is confined too. The JDK may create its
 *       process-reaper thread from the thread that starts a process, so a reaper thread can end up
 *       confined; reapers only wait for exits and complete futures. Never chain blocking network
 *       work synchronously on {@code Process.onExit()} (use the async variants).
 *   <li>Failure: if the kernel lacks Landlock network rules (ABI below 4) or the restriction
 *       fails, {@link #createOrNull()} returns null and the sandbox runs without this wall; {@code
 *       describe()} then says "no landlock".
 * </ol>
 */
public final class LandlockSpawner implements Spawner {

  private final ExecutorService none;
  private final ExecutorService proxy;
  private final String description;

  private LandlockSpawner(ExecutorService none, ExecutorService proxy, String description) {
    this.none = none;
    this.proxy = proxy;
    this.description = description;
  }

  /** The spawner, or null when this kernel cannot apply the network wall. */
  public static LandlockSpawner createOrNull() {
    int abi = Landlock.abiVersion();
    if (abi < Landlock.MIN_ABI_NET) {
      return null;
    }
    ExecutorService none = confinedThread("warden-sandbox-spawn-nonet");
    ExecutorService proxy = confinedThread("warden-sandbox-spawn-proxy");
    try {
      String d = none.submit(() -> Landlock.restrictCurrentThread(abi, List.of())).get();
      proxy.submit(() -> Landlock.restrictCurrentThread(abi, List.of(NetworkAccess.PROXY_PORT))).get();
      return new LandlockSpawner(none, proxy, d);
    } catch (ExecutionException e) {
      none.shutdownNow();
      proxy.shutdownNow();
      return null;
    } catch (InterruptedException e) {
      none.shutdownNow();
      proxy.shutdownNow();
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static ExecutorService confinedThread(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = Thread.ofPlatform().name(name).daemon(true).unstarted(r);
      return t;
    });
  }

  @Override
  public Process start(ProcessBuilder builder, NetworkAccess network) throws IOException {
    ExecutorService thread = network instanceof NetworkAccess.Proxy ? proxy : none;
    Future<Process> f = thread.submit(builder::start);
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("starting the sandbox failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      // The launcher may already be running: do not leave it unsupervised. (The interrupt flag
      // is clear now, so this get() waits for the start to finish.)
      try {
        ProcessSupervisor.killTree(f.get());
      } catch (InterruptedException | ExecutionException ignored) {
        // it did not start, or we cannot find out: nothing to kill
      }
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the sandbox", e);
    }
  }

  @Override
  public String describe() {
    return description;
  }
}
