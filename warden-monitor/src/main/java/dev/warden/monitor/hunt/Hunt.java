package dev.warden.monitor.hunt;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named hunting query over the event store.
 *
 * <p>The SQL uses named parameters {@code :name}. {@code :since} (epoch milliseconds) is always
 * bound from {@code --since}; {@code :now} is the current time; every other parameter must have a
 * default in {@link #params} and can be overridden ({@code --param threshold=20}).
 *
 * @param params parameter name → default value (as text; numbers are bound as integers)
 */
public record Hunt(String name, String description, String sql, Map<String, String> params) {

  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,47}");

  public Hunt {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("hunt names are lower-case words joined by '-', got: " + name);
    }
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(sql, "sql");
    params = Map.copyOf(params);
  }
}
