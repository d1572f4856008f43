package io.tidemark.migrate;

/** Human-readable elapsed times for progress lines. */
final class Durations {
  private Durations() {}

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  static String since(long startNanos) {
    long ms = millisSince(startNanos);
    return ms < 10_000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
