package dev.warden.agent.exec;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a job runs: {@code every 10m} (s, m, h, d), {@code daily HH:MM} (UTC), or a 5-field cron
 * expression (minute hour day-of-month month day-of-week; numbers, {@code *}, {@code a-b},
 * {@code a,b}, {@code * /n}). Written here because the three forms are small and a cron library
 * would bring more syntax than jobs the agent creates should have.
 */
public sealed interface CronSchedule {

  /** Shortest interval a job may run at, so a job cannot turn into a busy loop. */
  Duration MIN_INTERVAL = Duration.ofMinutes(1);

  Instant next(Instant after);

  record Every(Duration interval) implements CronSchedule {
    public Instant next(Instant after) {
      return after.plus(interval);
    }
  }

  record Daily(LocalTime at) implements CronSchedule {
    public Instant next(Instant after) {
      ZonedDateTime t = after.atZone(ZoneOffset.UTC).with(at).truncatedTo(ChronoUnit.MINUTES);
      if (!t.toInstant().isAfter(after)) {
        t = t.plusDays(1);
      }
      return t.toInstant();
    }
  }

  record Cron(BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet weekdays) implements CronSchedule {
    public Instant next(Instant after) {
      ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      for (int i = 0; i < 366 * 24 * 60; i++) {
        if (months.get(t.getMonthValue()) && days.get(t.getDayOfMonth()) && weekdays.get(t.getDayOfWeek().getValue() % 7)
            && hours.get(t.getHour()) && minutes.get(t.getMinute())) {
          return t.toInstant();
        }
        t = t.plusMinutes(1);
      }
      return Instant.MAX;
    }
  }

  Pattern EVERY = Pattern.compile("every\\s+(\\d+)\\s*([smhd])", Pattern.CASE_INSENSITIVE);
  Pattern DAILY = Pattern.compile("daily\\s+(\\d{1,2}):(\\d{2})", Pattern.CASE_INSENSITIVE);

  static CronSchedule parse(String spec) {
    String s = spec.strip();
    Matcher m = EVERY.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2).toLowerCase()) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      if (d.compareTo(MIN_INTERVAL) < 0) {
        throw new IllegalArgumentException("schedule '" + spec + "' is more often than every " + MIN_INTERVAL.toMinutes() + " minute");
      }
      return new Every(d);
    }
    m = DAILY.matcher(s);
    if (m.matches()) {
      return new Daily(LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    }
    String[] f = s.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("schedule '" + spec + "' is not 'every N[smhd]', 'daily HH:MM' or a 5-field cron expression");
    }
    return new Cron(field(f[0], 0, 59, spec), field(f[1], 0, 23, spec), field(f[2], 1, 31, spec), field(f[3], 1, 12, spec),
        field(f[4].replace("7", "0"), 0, 6, spec));
  }

  private static BitSet field(String f, int min, int max, String spec) {
    BitSet b = new BitSet();
    for (String part : f.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = Integer.parseInt(part.substring(slash + 1));
        range = part.substring(0, slash);
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = min;
        hi = max;
      } else if (range.contains("-")) {
        String[] r = range.split("-");
        lo = Integer.parseInt(r[0]);
        hi = Integer.parseInt(r[1]);
      } else {
        lo = Integer.parseInt(range);
        hi = slash >= 0 ? max : lo;
      }
      if (lo < min || hi > max || lo > hi || step < 1) {
        throw new IllegalArgumentException("schedule '" + spec + "': field '" + f + "' is outside " + min + "-" + max);
      }
      for (int i = lo; i <= hi; i += step) {
        b.set(i);
      }
    }
    return b;
  }
}
