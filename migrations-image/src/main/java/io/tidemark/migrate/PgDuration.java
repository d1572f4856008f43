package io.tidemark.migrate;

import java.util.regex.Pattern;

/**
 * A PostgreSQL duration for lock_timeout / statement_timeout. Checked strictly here because the
 * value ends up in a SET statement: only digits with an optional unit are accepted.
 */
public final class PgDuration {
  private static final Pattern FORMAT = Pattern.compile("\\d{1,9}(ms|s|min|h)?");

  private PgDuration() {}

  /** Returns the value unchanged if it is well-formed, otherwise throws InvalidArgument. */
  public static String parse(String option, String value) {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new RunnerException(
          Reason.InvalidArgument,
          option + " '" + value + "' is not a duration: use digits with an optional unit ms, s, min"
              + " or h, e.g. 10s, 5min, 0 (no limit)");
    }
    return value;
  }
}
