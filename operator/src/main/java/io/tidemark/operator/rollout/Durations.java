package io.tidemark.operator.rollout;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as Kubernetes users write them ("15m", "1h30m", "90s"). */
public final class Durations {
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
      Duration d = Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
          .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
          .plusSeconds(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
      return d.isZero() ? Optional.empty() : Optional.of(d);
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
