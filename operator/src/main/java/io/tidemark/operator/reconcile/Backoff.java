package io.tidemark.operator.reconcile;

import java.time.Duration;

/**
 * The wait before retrying after a transient failure: 10 s, doubling with each failure in a row,
 * capped.
 */
final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(10);

  private Backoff() {}

  static Duration after(Integer failuresInARow, Duration max) {
    int failures = Math.max(1, failuresInARow == null ? 1 : failuresInARow);
    Duration d = Duration.ofSeconds(FIRST.getSeconds() << Math.min(failures - 1, 16));
    return d.compareTo(max) > 0 ? max : d;
  }
}
