package io.tidemark.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** How the operator benchmarks (mock server, real control plane) measure and write figures. */
public final class BenchFigures {
  private BenchFigures() {}

  /** The {@code p}th percentile of a sorted list (nearest rank). */
  public static long pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  public static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  public static long millisSince(Instant t) {
    return Duration.between(t, Instant.now()).toMillis();
  }

  /** The 1, 5 and 15 minute load averages, or n/a off Linux. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
