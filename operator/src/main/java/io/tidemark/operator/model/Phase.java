package io.tidemark.operator.model;

/** Where the resource is in Tidemark's flow; one word for `kubectl get`. */
public enum Phase {
  /** Accepted, nothing started yet. */
  Pending,
  /** A plan Job is finding the current, pending and latest revisions. */
  Planning,
  /** A backup Job is dumping the database before a change. */
  BackingUp,
  /** A migrate or undo Job is changing the schema. */
  Migrating,
  /** The schema is being put back after a failed rollout. */
  RollingBack,
  /** The schema is at the target revision. */
  Ready,
  /**
   * A step failed; waits for a new generation, the retry annotation or a transient cause to clear.
   */
  Failed,
  /**
   * Held: another resource owns the database, or the schema was rolled back after a failed rollout.
   */
  Blocked,
  /** spec.approval is Manual: the planned change waits for db.tidemark.io/approve. */
  AwaitingApproval,
  /** spec.suspend is true. */
  Suspended
}
