package dev.warden.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One run of a WASM tool: a WASI command module, its arguments, environment and the directories
 * its manifest declares. Nothing else of the host is reachable: no directory unless listed here,
 * no environment but {@code env}, no network but the HTTP host function.
 *
 * @param name tool name, passed as {@code argv[0]}
 * @param module the {@code .wasm} file (absolute)
 * @param args arguments after the name
 * @param env the whole environment of the tool
 * @param stdin what the tool reads on fd 0
 * @param directories host directories preopened for the tool (read-write), as declared in its
 *     manifest and granted by the kernel; empty by default
 * @param limits fuel, wall time, memory, output and HTTP-call limits
 */
public record WasmToolSpec(
    String name,
    Path module,
    List<String> args,
    SortedMap<String, String> env,
    String stdin,
    List<Directory> directories,
    WasmLimits limits) {

  /** Most preopened directories. */
  public static final int MAX_DIRECTORIES = 8;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  public WasmToolSpec {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tool name must match " + NAME + ", got '" + name + "'");
    }
    Objects.requireNonNull(module, "module");
    if (!module.isAbsolute()) {
      throw new IllegalArgumentException("module must be an absolute path, got '" + module + "'");
    }
    args = List.copyOf(args);
    env = Collections.unmodifiableSortedMap(new TreeMap<>(env));
    for (String k : env.keySet()) {
      if (!ENV_NAME.matcher(k).matches()) {
        throw new IllegalArgumentException("not an environment variable name: '" + k + "'");
      }
    }
    Objects.requireNonNull(stdin, "stdin");
    directories = List.copyOf(directories);
    if (directories.size() > MAX_DIRECTORIES) {
      throw new IllegalArgumentException("at most " + MAX_DIRECTORIES + " directories, got " + directories.size());
    }
    Objects.requireNonNull(limits, "limits");
  }

  /** A host directory the tool sees at {@code guestPath}. */
  public record Directory(Path hostPath, String guestPath) {
    public Directory {
      Objects.requireNonNull(hostPath, "hostPath");
      Objects.requireNonNull(guestPath, "guestPath");
      if (!hostPath.isAbsolute()) {
        throw new IllegalArgumentException("hostPath must be absolute, got '" + hostPath + "'");
      }
      if (!guestPath.startsWith("/") || guestPath.contains("..")) {
        throw new IllegalArgumentException("guestPath must be absolute without '..', got '" + guestPath + "'");
      }
    }
  }

  public static Builder builder(String name, Path module) {
    return new Builder(name, module);
  }

  /** Defaults: no arguments, empty environment and stdin, no directories, {@link WasmLimits#DEFAULT}. */
  public static final class Builder {
    private final String name;
    private final Path module;
    private final List<String> args = new ArrayList<>();
    private final SortedMap<String, String> env = new TreeMap<>();
    private String stdin = "";
    private final List<Directory> directories = new ArrayList<>();
    private WasmLimits limits = WasmLimits.DEFAULT;

    private Builder(String name, Path module) {
      this.name = name;
      this.module = module;
    }

    public Builder args(String... values) {
      args.addAll(List.of(values));
      return this;
    }

    public Builder env(String k, String v) {
      env.put(k, v);
      return this;
    }

    public Builder stdin(String value) {
      stdin = value;
      return this;
    }

    public Builder directory(Path hostPath, String guestPath) {
      directories.add(new Directory(hostPath, guestPath));
      return this;
    }

    public Builder limits(WasmLimits value) {
      limits = value;
      return this;
    }

    public WasmToolSpec build() {
      return new WasmToolSpec(name, module, args, env, stdin, directories, limits);
    }
  }
}
