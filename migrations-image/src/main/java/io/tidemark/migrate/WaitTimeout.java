package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long {@code wait} waits: digits with a unit (ms, s, m or min, h), as Kubernetes manifests
 * write them (90s, 10m, 1h) and as the runner's other durations do (5min); 0 waits for ever.
 */
record WaitTimeout(String label, long millis) {
  static final WaitTimeout DEFAULT = new WaitTimeout("10m", 600_000L);

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|min|h)");

  static WaitTimeout parse(String value) {
    if ("0".equals(value)) {
      return new WaitTimeout("0", 0);
    }
    Matcher m = value == null ? null : FORMAT.matcher(value);
    if (m == null || !m.matches()) {
      throw new RunnerException(
          Reason.InvalidArgument,
          "--timeout '"
              + value
              + "' is not a duration: use digits with a unit ms, s, m (or min) or h, e.g. 90s,"
              + " 10m, 1h; 0 waits for ever");
    }
    long number = Long.parseLong(m.group(1));
    long millis =
        switch (m.group(2)) {
          case "ms" -> number;
          case "s" -> number * 1_000L;
          case "m", "min" -> number * 60_000L;
          default -> number * 3_600_000L;
        };
    return new WaitTimeout(value, millis);
  }

  boolean forever() {
    return millis == 0;
  }
}
