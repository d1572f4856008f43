package io.tidemark.operator.model;

/** spec.approval: when a person approves a change before it runs. */
public enum ApprovalPolicy {
  /** Every change runs as soon as it is planned (the default). */
  Automatic,
  /**
   * Every change of revision waits in phase AwaitingApproval until the annotation
   * db.tidemark.io/approve holds the plan's digest.
   */
  Manual,
  /**
   * A change waits for approval only when the plan's rehearsal on a schema-only copy finds
   * something destructive, or could not run (then nobody knows).
   */
  OnDestructive
}
