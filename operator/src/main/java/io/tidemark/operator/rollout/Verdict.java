package io.tidemark.operator.rollout;

/** What the watched workloads say about the change of revision. */
public record Verdict(Kind kind, String message) {
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

  static Verdict watching() {
    return new Verdict(Kind.WATCHING, null);
  }

  static Verdict failed(String message) {
    return new Verdict(Kind.FAILED, message);
  }
}
