package dev.warden.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one WASM tool run.
 *
 * @param fuelInstructions WASM instructions the tool may execute (counted by the interpreter)
 * @param wallTime how long the run may take, host calls included
 * @param maxMemoryPages linear memory cap, in 64 KiB pages
 * @param maxOutputBytes bytes kept of each of stdout and stderr; more ends the run
 * @param maxHttpCalls HTTP requests the tool may make through the host function
 */
public record WasmLimits(
    long fuelInstructions, Duration wallTime, int maxMemoryPages, long maxOutputBytes, int maxHttpCalls) {

  /** Default fuel: a few hundred milliseconds of interpretation. */
  public static final long DEFAULT_FUEL_INSTRUCTIONS = 200_000_000L;
  /** Default wall time. */
  public static final long DEFAULT_WALL_TIME_SECONDS = 10;
  /** Default memory cap: 256 pages = 16 MiB. */
  public static final int DEFAULT_MAX_MEMORY_PAGES = 256;
  /** The WASM 32-bit maximum: 65536 pages = 4 GiB. */
  public static final int MAX_MEMORY_PAGES = 65_536;
  /** Default bytes kept of each output stream. */
  public static final long DEFAULT_MAX_OUTPUT_BYTES = 1L << 20;
  /** Default HTTP requests per run. */
  public static final int DEFAULT_MAX_HTTP_CALLS = 16;
  /** Bytes of one WASM page. */
  public static final int PAGE_BYTES = 65_536;

  public static final WasmLimits DEFAULT = new WasmLimits(DEFAULT_FUEL_INSTRUCTIONS,
      Duration.ofSeconds(DEFAULT_WALL_TIME_SECONDS), DEFAULT_MAX_MEMORY_PAGES, DEFAULT_MAX_OUTPUT_BYTES,
      DEFAULT_MAX_HTTP_CALLS);

  public WasmLimits {
    Objects.requireNonNull(wallTime, "wallTime");
    if (fuelInstructions < 1) {
      throw new IllegalArgumentException("fuelInstructions must be positive, got " + fuelInstructions);
    }
    if (wallTime.isNegative() || wallTime.isZero()) {
      throw new IllegalArgumentException("wallTime must be positive, got " + wallTime);
    }
    if (maxMemoryPages < 1 || maxMemoryPages > MAX_MEMORY_PAGES) {
      throw new IllegalArgumentException(
          "maxMemoryPages must be in [1, " + MAX_MEMORY_PAGES + "], got " + maxMemoryPages);
    }
    if (maxOutputBytes < Limits.MIN_OUTPUT_BYTES || maxOutputBytes > Limits.MAX_OUTPUT_BYTES) {
      throw new IllegalArgumentException("maxOutputBytes must be in [" + Limits.MIN_OUTPUT_BYTES + ", "
          + Limits.MAX_OUTPUT_BYTES + "], got " + maxOutputBytes);
    }
    if (maxHttpCalls < 0) {
      throw new IllegalArgumentException("maxHttpCalls must not be negative, got " + maxHttpCalls);
    }
  }

  public WasmLimits withFuelInstructions(long v) {
    return new WasmLimits(v, wallTime, maxMemoryPages, maxOutputBytes, maxHttpCalls);
  }

  public WasmLimits withWallTime(Duration v) {
    return new WasmLimits(fuelInstructions, v, maxMemoryPages, maxOutputBytes, maxHttpCalls);
  }

  public WasmLimits withMaxMemoryPages(int v) {
    return new WasmLimits(fuelInstructions, wallTime, v, maxOutputBytes, maxHttpCalls);
  }

  public WasmLimits withMaxOutputBytes(long v) {
    return new WasmLimits(fuelInstructions, wallTime, maxMemoryPages, v, maxHttpCalls);
  }

  public WasmLimits withMaxHttpCalls(int v) {
    return new WasmLimits(fuelInstructions, wallTime, maxMemoryPages, maxOutputBytes, v);
  }
}
