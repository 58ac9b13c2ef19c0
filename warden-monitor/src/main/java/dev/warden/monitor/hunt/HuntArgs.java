package dev.warden.monitor.hunt;

import java.util.Map;

/**
 * What {@code warden hunt [NAME] [--since D] [--json|--csv] [--sql Q] [--param k=v]…} was given.
 *
 * @param nameOrNull a built-in hunt; null with no SQL lists the hunts
 * @param sinceOrNull {@code 7d}, {@code 24h}, {@code 30m}, {@code 90s}, {@code 2w}, an ISO instant or a
 *     date ({@code 2026-11-01}); null means {@link HuntRunner#DEFAULT_SINCE}
 * @param sqlOrNull an ad-hoc read-only query (a single SELECT or WITH); {@code :since} may be used in it
 */
public record HuntArgs(String nameOrNull, String sinceOrNull, Format format, String sqlOrNull, Map<String, String> params) {

  public enum Format { TABLE, JSON, CSV }

  public HuntArgs {
    if (format == null) {
      format = Format.TABLE;
    }
    params = params == null ? Map.of() : Map.copyOf(params);
    if (nameOrNull != null && sqlOrNull != null) {
      throw new IllegalArgumentException("give a hunt name or --sql, not both");
    }
  }

  public static HuntArgs list() {
    return new HuntArgs(null, null, Format.TABLE, null, Map.of());
  }

  public static HuntArgs named(String name, String sinceOrNull, Format format) {
    return new HuntArgs(name, sinceOrNull, format, null, Map.of());
  }

  public static HuntArgs sql(String sql, Format format) {
    return new HuntArgs(null, null, format, sql, Map.of());
  }
}
