package dev.warden.sandbox;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import dev.warden.kernel.WardenSecurityException;
import dev.warden.sandbox.internal.WasmHttpCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs WASM tools (WASI preview 1 command modules) in Chicory, a pure-Java interpreter: no
 * native code, no process, no host access but what is granted.
 *
 * <p>Security guarantees. A tool run here:
 *
 * <ul>
 *   <li>sees no directory unless its spec lists it (WASI preopens), no environment variable but
 *       those in its spec, and no clock or randomness beyond WASI's;
 *   <li>has no network: its only way out is the {@code warden.http_request} host function, which
 *       hands the request to the hook given at {@link #create} (wired by the gateway to the
 *       kernel's egress decision) and returns the hook's answer;
 *   <li>stops after {@link WasmLimits#fuelInstructions()} instructions, after {@link
 *       WasmLimits#wallTime()}, when its linear memory would exceed {@link
 *       WasmLimits#maxMemoryPages()}, or when it writes more than {@link
 *       WasmLimits#maxOutputBytes()} to stdout or stderr.
 * </ul>
 *
 * <p>Host function ABI: {@code (import "warden" "http_request" (func (param $req_ptr i32)
 * (param $req_len i32) (param $resp_ptr i32) (param $resp_cap i32) (result i32)))}. The request
 * and response formats are in {@link WasmHttpCodec}. The result is the full response length (the
 * tool received {@code min(result, resp_cap)} bytes), or {@link #HTTP_ERR_MALFORMED}, {@link
 * #HTTP_ERR_HOST} or {@link #HTTP_ERR_LIMIT}.
 *
 * <p>Design notes. Concurrency: each run gets its own instance and its own platform thread;
 * the class is safe to share. Failure: a module that cannot be parsed or linked throws {@link
 * WardenSecurityException} (it did not run); a limit or a trap is a {@link SandboxResult}: fuel
 * maps to {@link Termination#CPU_LIMIT}, a trap to {@link Termination#KILLED_BY_SIGNAL} (exit
 * code {@value #TRAP_EXIT_CODE}), a trap with memory at its cap to {@link
 * Termination#MEMORY_LIMIT}.
 */
public final class WasmSandbox {

  /** http_request result: the request could not be decoded. */
  public static final int HTTP_ERR_MALFORMED = -1;
  /** http_request result: the hook failed. */
  public static final int HTTP_ERR_HOST = -2;
  /** http_request result: too many calls, or the request is too large. */
  public static final int HTTP_ERR_LIMIT = -3;
  /** Exit code reported for a trap, as if the tool aborted. */
  public static final int TRAP_EXIT_CODE = 134;
  /** Stack of the thread that interprets a tool: deep WASM call chains recurse in Java. */
  static final long INTERPRETER_STACK_BYTES = 16L << 20;
  /** How often, in instructions, the fuel counter also checks the wall-clock deadline. */
  static final long DEADLINE_CHECK_INSTRUCTIONS = 1 << 14;
  /** How long to wait for the interpreter thread after interrupting it. */
  static final long INTERRUPT_GRACE_MILLIS = 1_000;

  /** A hook that refuses every request: for tools whose manifest grants no network. */
  public static final Function<WasmHttpRequest, WasmHttpResponse> DENY_ALL_HTTP =
      r -> WasmHttpResponse.denied("this tool has no network capability");

  private final Function<WasmHttpRequest, WasmHttpResponse> httpHook;

  private WasmSandbox(Function<WasmHttpRequest, WasmHttpResponse> httpHook) {
    this.httpHook = httpHook;
  }

  /**
   * @param httpHook decides and performs each HTTP request a tool makes (the kernel's egress). It
   *     runs on the tool's interpreter thread and must bound its own time (connect and read
   *     timeouts): a hook that blocks keeps that thread alive after the run has been reported as
   *     {@link Termination#WALL_TIMEOUT}. A hook that throws gives the tool {@link #HTTP_ERR_HOST}.
   */
  public static WasmSandbox create(Function<WasmHttpRequest, WasmHttpResponse> httpHook) {
    return new WasmSandbox(Objects.requireNonNull(httpHook, "httpHook"));
  }

  public String describe() {
    return "wasm (chicory interpreter, WASI preview 1, no preopened directories unless declared,"
        + " network only through the http host function, fuel/wall/memory/output limits)";
  }

  /** Stops the interpreter from inside; carries the termination. */
  private static final class Stop extends RuntimeException {
    final Termination termination;

    Stop(Termination termination) {
      super(termination.name(), null, false, false);
      this.termination = termination;
    }
  }

  public SandboxResult run(WasmToolSpec spec) throws WardenSecurityException {
    long start = System.nanoTime();
    WasmLimits limits = spec.limits();
    WasmModule module;
    try {
      module = Parser.parse(Files.readAllBytes(spec.module()));
    } catch (IOException | ChicoryException | IllegalArgumentException e) {
      throw new WardenSecurityException("WASM tool '" + spec.name() + "': cannot load module "
          + spec.module() + ": " + e.getMessage(), e);
    }
    Optional<Integer> declaredPages = module.memorySection()
        .filter(s -> s.memoryCount() > 0)
        .map(s -> s.getMemory(0).limits().initialPages());
    if (declaredPages.isPresent() && declaredPages.get() > limits.maxMemoryPages()) {
      return result(Termination.MEMORY_LIMIT, TRAP_EXIT_CODE, "", "", false, false, start,
          "refused: the module declares " + declaredPages.get() + " initial memory pages, more than the cap of "
              + limits.maxMemoryPages());
    }

    AtomicReference<Termination> stop = new AtomicReference<>();
    Capture out = new Capture(limits.maxOutputBytes(), stop);
    Capture err = new Capture(limits.maxOutputBytes(), stop);
    WasiOptions.Builder wasiOptions = WasiOptions.builder()
        .withStdout(out)
        .withStderr(err)
        .withStdin(new ByteArrayInputStream(spec.stdin().getBytes(StandardCharsets.UTF_8)));
    List<String> argv = new ArrayList<>();
    argv.add(spec.name());
    argv.addAll(spec.args());
    wasiOptions.withArguments(argv);
    spec.env().forEach(wasiOptions::withEnvironment);
    for (WasmToolSpec.Directory d : spec.directories()) {
      wasiOptions.withDirectory(d.guestPath(), d.hostPath());
    }
    long deadline = start + limits.wallTime().toNanos();
    long[] fuel = {limits.fuelInstructions()};
    AtomicInteger httpCalls = new AtomicInteger();

    AtomicReference<Object> outcome = new AtomicReference<>();
    AtomicReference<Instance> instanceRef = new AtomicReference<>();
    Thread runner = Thread.ofPlatform().name("wasm-" + spec.name()).daemon(true)
        .stackSize(INTERPRETER_STACK_BYTES).unstarted(() -> {
          try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(wasiOptions.build()).build()) {
            ImportValues imports = ImportValues.builder()
                .addFunction(wasi.toHostFunctions())
                .addFunction(httpFunction(limits, httpCalls))
                .build();
            Instance instance = Instance.builder(module)
                .withImportValues(imports)
                .withMemoryLimits(new MemoryLimits(declaredPages.orElse(0), limits.maxMemoryPages()))
                .withStart(false)
                .withUnsafeExecutionListener((instruction, stack) -> {
                  long left = --fuel[0];
                  if (left < 0) {
                    throw new Stop(Termination.CPU_LIMIT);
                  }
                  if ((left & (DEADLINE_CHECK_INSTRUCTIONS - 1)) == 0 && System.nanoTime() > deadline) {
                    throw new Stop(Termination.WALL_TIMEOUT);
                  }
                })
                .build();
            instanceRef.set(instance);
            ExportFunction main = instance.export("_start");
            main.apply();
            outcome.set(0);
          } catch (WasiExitException e) {
            outcome.set(e.exitCode());
          } catch (Throwable t) {
            outcome.set(t);
          }
        });
    runner.start();
    boolean timedOut = false;
    try {
      long waitNanos = deadline - System.nanoTime();
      if (waitNanos > 0) {
        runner.join(Duration.ofNanos(waitNanos));
      }
      if (runner.isAlive()) {
        timedOut = true;
        stop.compareAndSet(null, Termination.WALL_TIMEOUT);
        runner.interrupt();
        runner.join(Duration.ofMillis(INTERRUPT_GRACE_MILLIS));
      }
    } catch (InterruptedException e) {
      runner.interrupt();
      Thread.currentThread().interrupt();
      timedOut = true;
    }

    Object o = outcome.get();
    Termination t;
    int exit;
    String why;
    if (timedOut || o == null) {
      t = Termination.WALL_TIMEOUT;
      exit = TRAP_EXIT_CODE;
      why = "killed: ran longer than the wall-time limit of " + limits.wallTime().toMillis() + " ms";
    } else if (o instanceof Integer code) {
      t = Termination.EXITED;
      exit = code;
      why = "exited with status " + code;
    } else {
      Throwable th = (Throwable) o;
      Termination stopped = findStop(th);
      if (stopped == null) {
        stopped = stop.get();
      }
      exit = TRAP_EXIT_CODE;
      if (stopped == Termination.CPU_LIMIT) {
        t = stopped;
        why = "stopped: used up its fuel of " + limits.fuelInstructions() + " instructions";
      } else if (stopped == Termination.WALL_TIMEOUT) {
        t = stopped;
        why = "killed: ran longer than the wall-time limit of " + limits.wallTime().toMillis() + " ms";
      } else if (stopped == Termination.OUTPUT_LIMIT) {
        t = stopped;
        why = "killed: wrote more than the output limit of " + limits.maxOutputBytes() + " bytes";
      } else {
        Instance inst = instanceRef.get();
        Memory mem = inst == null ? null : safeMemory(inst);
        boolean atCap = mem != null && mem.pages() >= limits.maxMemoryPages();
        t = atCap ? Termination.MEMORY_LIMIT : Termination.KILLED_BY_SIGNAL;
        why = (atCap ? "trapped with memory at its cap of " + limits.maxMemoryPages() + " pages: " : "trapped: ")
            + th.getClass().getSimpleName() + ": " + th.getMessage();
      }
    }
    return result(t, exit, out.text(), err.text(), out.truncated, err.truncated, start, why);
  }

  private static Memory safeMemory(Instance inst) {
    try {
      return inst.memory();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Termination findStop(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof Stop s) {
        return s.termination;
      }
    }
    return null;
  }

  private SandboxResult result(Termination t, int exit, String stdout, String stderr, boolean outTrunc,
      boolean errTrunc, long startNanos, String why) {
    Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
    return new SandboxResult(exit, stdout, stderr, outTrunc, errTrunc, t, wall,
        why + " after " + wall.toMillis() + " ms");
  }

  private HostFunction httpFunction(WasmLimits limits, AtomicInteger calls) {
    return new HostFunction("warden", "http_request",
        FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I32)),
        (instance, args) -> {
          int reqPtr = (int) args[0];
          int reqLen = (int) args[1];
          int respPtr = (int) args[2];
          int respCap = (int) args[3];
          if (calls.incrementAndGet() > limits.maxHttpCalls()
              || reqLen < 0 || reqLen > WasmHttpCodec.MAX_REQUEST_BYTES || respCap < 0) {
            return new long[] {HTTP_ERR_LIMIT};
          }
          Memory memory = instance.memory();
          Optional<WasmHttpRequest> request = WasmHttpCodec.decode(memory.readBytes(reqPtr, reqLen));
          if (request.isEmpty()) {
            return new long[] {HTTP_ERR_MALFORMED};
          }
          byte[] encoded;
          try {
            WasmHttpResponse response = httpHook.apply(request.get());
            if (response == null) {
              return new long[] {HTTP_ERR_HOST};
            }
            encoded = WasmHttpCodec.encode(response);
          } catch (RuntimeException e) {
            return new long[] {HTTP_ERR_HOST};
          }
          memory.write(respPtr, encoded, 0, Math.min(respCap, encoded.length));
          return new long[] {encoded.length};
        });
  }

  /** Keeps up to the limit, then stops the tool from within its write call. */
  private static final class Capture extends OutputStream {
    private final long limit;
    private final AtomicReference<Termination> stop;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    volatile boolean truncated;

    Capture(long limit, AtomicReference<Termination> stop) {
      this.limit = limit;
      this.stop = stop;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      long room = limit - kept.size();
      kept.write(b, off, (int) Math.min(room, len));
      if (len > room) {
        truncated = true;
        stop.compareAndSet(null, Termination.OUTPUT_LIMIT);
        throw new Stop(Termination.OUTPUT_LIMIT);
      }
    }

    synchronized String text() {
      String s = kept.toString(StandardCharsets.UTF_8);
      return truncated ? s + SandboxResult.truncationMarker(limit) : s;
    }
  }
}
