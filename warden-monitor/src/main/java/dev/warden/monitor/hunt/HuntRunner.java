package dev.warden.monitor.hunt;

import dev.warden.monitor.events.EventStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs hunts against events.db on a read-only connection ({@link EventStore#openReadOnly}), bounded
 * in rows ({@link #MAX_ROWS}) and time ({@link #QUERY_TIMEOUT}), and renders the result.
 *
 * <p>Safe to use from the CLI while the gateway writes: WAL lets readers run beside the writer.
 */
public final class HuntRunner {

  /** Rows returned at most; the result says when more matched. */
  public static final int MAX_ROWS = 10_000;
  /** A query running longer than this is interrupted. */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
  /** The window when {@code --since} is not given. */
  public static final Duration DEFAULT_SINCE = Duration.ofDays(7);

  /** Exit codes of {@link #run(HuntArgs, PrintStream, PrintStream)}. */
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private static final Pattern PARAM = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");
  private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*([smhdw])");

  private final Path eventsDb;
  private final InstantSource clock;

  public HuntRunner(Path eventsDb, InstantSource clock) {
    this.eventsDb = eventsDb;
    this.clock = clock;
  }

  /** The CLI entry: {@code warden hunt} lists, {@code warden hunt NAME} runs, {@code --sql} runs ad hoc. */
  public int run(HuntArgs args, PrintStream out) {
    return run(args, out, out);
  }

  public int run(HuntArgs args, PrintStream out, PrintStream err) {
    if (args.nameOrNull() == null && args.sqlOrNull() == null) {
      out.print(listing());
      return EXIT_OK;
    }
    HuntResult result;
    try {
      Instant since = parseSince(args.sinceOrNull(), clock.instant());
      if (args.sqlOrNull() != null) {
        result = runSql(args.sqlOrNull(), since);
      } else {
        Hunt h = Hunts.byName(args.nameOrNull()).orElse(null);
        if (h == null) {
          err.println("warden hunt: no hunt named '" + args.nameOrNull() + "'; run `warden hunt` to list them");
          return EXIT_USAGE;
        }
        result = run(h, since, args.params());
      }
    } catch (IllegalArgumentException e) {
      err.println("warden hunt: " + e.getMessage());
      return EXIT_USAGE;
    } catch (SQLException e) {
      err.println("warden hunt: the query failed on " + eventsDb + ": " + e.getMessage());
      return EXIT_FAILED;
    }
    switch (args.format()) {
      case JSON -> out.println(result.toJson());
      case CSV -> out.print(result.toCsv());
      case TABLE -> out.print(result.toTable());
    }
    return EXIT_OK;
  }

  /** The hunts, one per line, for {@code warden hunt} with no arguments. */
  public static String listing() {
    StringBuilder sb = new StringBuilder("Built-in hunts (warden hunt NAME [--since 7d] [--json|--csv] [--param k=v]):\n");
    int w = Hunts.all().stream().mapToInt(h -> h.name().length()).max().orElse(10);
    for (Hunt h : Hunts.all()) {
      sb.append("  ").append(h.name()).append(" ".repeat(w - h.name().length() + 2)).append(h.description());
      if (!h.params().isEmpty()) {
        sb.append(" Params: ").append(new java.util.TreeMap<>(h.params()));
      }
      sb.append('\n');
    }
    sb.append("Ad hoc: warden hunt --sql \"SELECT … FROM events WHERE time >= :since\" (read-only; tables events, alerts)\n");
    return sb.toString();
  }

  public HuntResult run(Hunt hunt, Instant since, Map<String, String> overrides) throws SQLException {
    for (String k : overrides.keySet()) {
      if (!hunt.params().containsKey(k)) {
        throw new IllegalArgumentException("hunt " + hunt.name() + " has no parameter '" + k + "'; it takes "
            + (hunt.params().isEmpty() ? "none besides --since" : hunt.params().keySet()));
      }
    }
    Map<String, String> values = new HashMap<>(hunt.params());
    values.putAll(overrides);
    return execute(hunt.sql(), since, values);
  }

  public HuntResult runSql(String sql, Instant since) throws SQLException {
    return execute(SqlGuard.checkReadOnly(sql), since, Map.of());
  }

  private HuntResult execute(String sql, Instant since, Map<String, String> values) throws SQLException {
    List<Object> binds = new ArrayList<>();
    // Parameters are looked for outside string literals and comments only ('12:30' is text).
    Matcher m = PARAM.matcher(SqlGuard.codeOnly(sql));
    StringBuilder jdbc = new StringBuilder();
    int copied = 0;
    while (m.find()) {
      String name = m.group(1);
      Object v = switch (name) {
        case "since" -> since.toEpochMilli();
        case "now" -> clock.instant().toEpochMilli();
        default -> {
          String s = values.get(name);
          if (s == null) {
            throw new IllegalArgumentException("the query uses :" + name + " but no value was given (only :since and :now "
                + "are bound in ad-hoc queries)");
          }
          yield asNumberOrText(s);
        }
      };
      binds.add(v);
      jdbc.append(sql, copied, m.start()).append('?');
      copied = m.end();
    }
    jdbc.append(sql, copied, sql.length());
    long start = System.nanoTime();
    try (Connection c = EventStore.openReadOnly(eventsDb); PreparedStatement ps = c.prepareStatement(jdbc.toString())) {
      for (int i = 0; i < binds.size(); i++) {
        ps.setObject(i + 1, binds.get(i));
      }
      AtomicBoolean done = new AtomicBoolean();
      Thread watchdog = Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(QUERY_TIMEOUT.toMillis());
          if (!done.get()) {
            ps.cancel();
          }
        } catch (InterruptedException | SQLException ignored) {
          // finished first, or already closed
        }
      });
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> cols = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          cols.add(md.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
          if (rows.size() >= MAX_ROWS) {
            truncated = true;
            break;
          }
          List<Object> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
        return new HuntResult(cols, rows, truncated, Duration.ofNanos(System.nanoTime() - start));
      } catch (SQLException e) {
        if (done.get() || System.nanoTime() - start >= QUERY_TIMEOUT.toNanos()) {
          throw new SQLException("the query ran longer than " + QUERY_TIMEOUT.toSeconds() + " s and was stopped; "
              + "narrow it with --since or a WHERE on an indexed column (time, action, event_category, verdict, host)", e);
        }
        throw e;
      } finally {
        done.set(true);
        watchdog.interrupt();
      }
    }
  }

  private static Object asNumberOrText(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return s;
    }
  }

  /** {@code 7d}, {@code 24h}, {@code 30m}, {@code 90s}, {@code 2w}, an ISO instant or a date (UTC midnight). */
  public static Instant parseSince(String sinceOrNull, Instant now) {
    if (sinceOrNull == null || sinceOrNull.isBlank()) {
      return now.minus(DEFAULT_SINCE);
    }
    String s = sinceOrNull.trim().toLowerCase(Locale.ROOT);
    Matcher m = RELATIVE.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(sinceOrNull.trim());
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(sinceOrNull.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("--since '" + sinceOrNull + "' is not understood; use 7d, 24h, 30m, 90s, 2w, "
            + "an instant like 2026-11-01T00:00:00Z or a date like 2026-11-01");
      }
    }
  }
}
