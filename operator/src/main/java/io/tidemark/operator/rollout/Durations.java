package io.tidemark.operator.rollout;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations as Kubernetes users write them ("15m", "1h30m", "90s"), strictly: hours,
 * minutes and seconds in that order, whole numbers, at most {@link #MAX_HOURS} hours in all.
 *
 * <p>Not fabric8's {@code Duration.parse}: it reads "1.5h" as five hours, "-3m" as three minutes
 * and "1h 2m" with a space, all of which a spec should refuse rather than guess at.
 */
public final class Durations {
  /**
   * The longest duration accepted (about 2.3 years): more than any duration the CRD's patterns let
   * through (999999m is 16667h), and far from where adding it to a time could overflow.
   */
  public static final long MAX_HOURS = 20_000;

  private static final Pattern GO = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");

  private Durations() {}

  public static Optional<Duration> parseGo(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = GO.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Duration d =
          Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
              .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
              .plusSeconds(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
      return d.isZero() || d.compareTo(Duration.ofHours(MAX_HOURS)) > 0
          ? Optional.empty()
          : Optional.of(d);
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
