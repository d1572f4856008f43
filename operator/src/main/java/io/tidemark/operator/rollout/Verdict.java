package io.tidemark.operator.rollout;

import io.tidemark.operator.model.RolloutWatchStatus;

/**
 * What the watched workloads say about the change of revision.
 *
 * @param message why, for a verdict other than WATCHING
 * @param watch the watch as it is after this verdict (a new value; the one judged is unchanged)
 */
public record Verdict(Kind kind, String message, RolloutWatchStatus watch) {
  public enum Kind {
    /** Still inside the window, nothing decided. */
    WATCHING,
    /** Every workload rolled out a generation newer than the change and is available. */
    VERIFIED,
    /** The window ended without a failure. */
    EXPIRED,
    /** A workload's rollout failed: roll the schema back. */
    FAILED
  }

  static Verdict watching(RolloutWatchStatus watch) {
    return new Verdict(Kind.WATCHING, null, watch);
  }

  static Verdict of(Kind kind, RolloutWatchStatus next) {
    return new Verdict(kind, next.getMessage(), next);
  }
}
