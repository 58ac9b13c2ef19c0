package dev.warden.sandbox.internal;

import dev.warden.sandbox.NetworkAccess;
import dev.warden.sandbox.SandboxSpec;
import java.util.SortedMap;
import java.util.TreeMap;

/** The complete environment of a sandboxed command: the allowlist and nothing else. */
public final class SandboxEnvironment {

  private SandboxEnvironment() {}

  /**
   * @param home the value of HOME (the workspace as the command sees it)
   * @param caPathOrNull the CA bundle as the command sees it, or null
   * @param proxyUrlOrNull the proxy URL as the command sees it, or null for no proxy variables
   */
  public static SortedMap<String, String> of(
      SandboxSpec spec, String home, String caPathOrNull, String proxyUrlOrNull) {
    SortedMap<String, String> env = new TreeMap<>(SandboxSpec.FIXED_ENV);
    env.put("PATH", SandboxSpec.SANDBOX_PATH);
    env.put("HOME", home);
    if (proxyUrlOrNull != null && spec.network() instanceof NetworkAccess.Proxy) {
      for (String name : SandboxSpec.PROXY_ENV) {
        env.put(name, proxyUrlOrNull);
      }
      // Nothing bypasses the proxy: not even loopback, which inside the sandbox is its own.
      env.put("NO_PROXY", "");
      env.put("no_proxy", "");
    }
    if (caPathOrNull != null) {
      for (String name : SandboxSpec.CA_ENV) {
        env.put(name, caPathOrNull);
      }
    }
    env.putAll(spec.extraEnv());
    return env;
  }
}
