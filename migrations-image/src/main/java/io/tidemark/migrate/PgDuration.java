package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.util.regex.Pattern;

/**
 * A PostgreSQL duration for lock_timeout / statement_timeout. Checked strictly here because the
 * value ends up in a SET statement: only digits with an optional unit are accepted.
 */
public final class PgDuration {
  private static final Pattern FORMAT = Pattern.compile("\\d{1,12}(ms|s|min|h)?");

  private PgDuration() {}

  /** Returns the value unchanged if it is well-formed, otherwise throws InvalidArgument. */
  public static String parse(String option, String value) {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new RunnerException(
          Reason.InvalidArgument,
          option
              + " '"
              + value
              + "' is not a duration: use digits with an optional unit ms, s, min"
              + " or h, e.g. 10s, 5min, 0 (no limit)");
    }
    if (millis(value) > MAX_MILLIS) {
      throw new RunnerException(
          Reason.InvalidArgument,
          option
              + " '"
              + value
              + "' is longer than PostgreSQL accepts ("
              + MAX_MILLIS
              + " ms, about 24 days); use a shorter duration, or 0 for no limit");
    }
    return value;
  }

  /** PostgreSQL's largest timeout: an int of milliseconds. */
  public static final long MAX_MILLIS = Integer.MAX_VALUE;

  /** The duration in milliseconds; without a unit PostgreSQL reads milliseconds. */
  static long millis(String value) {
    int unit = 0;
    while (unit < value.length() && Character.isDigit(value.charAt(unit))) {
      unit++;
    }
    long number = Long.parseLong(value.substring(0, unit));
    return switch (value.substring(unit)) {
      case "s" -> number * 1_000L;
      case "min" -> number * 60_000L;
      case "h" -> number * 3_600_000L;
      default -> number;
    };
  }
}
